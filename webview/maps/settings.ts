// The map settings the host sends in `init` (PanelSettings.mapTileUrl). Held here so inputs and outputs read them
// without threading them through every control; app.ts sets them before it builds the form and the outputs.

let tileUrl: string | null = null;

/** A tile URL template worth using: http(s) with {z}, {x} and {y}; anything else means "no tiles". */
export function usableTileTemplate(url: string | null | undefined): string | null {
  if (typeof url !== 'string') return null;
  const text = url.trim();
  if (!/^https?:\/\//i.test(text) || !['{z}', '{x}', '{y}'].every((part) => text.includes(part))) return null;
  return text;
}

export function setMapTileUrl(url: string | null | undefined): void {
  tileUrl = usableTileTemplate(url);
}

export function mapTileUrl(): string | null {
  return tileUrl;
}

/** The host part of the template, shown as the tiles' attribution ("Tiles: tile.example.org"). */
export function tileHost(url: string): string {
  const match = /^https?:\/\/([^/?#]+)/i.exec(url);
  return match ? match[1].replace(/\{s\}\./, '') : url;
}
