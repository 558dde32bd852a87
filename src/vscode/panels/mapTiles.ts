// The `pixie.maps.tileUrl` setting: a tile URL template the user chose for map backgrounds (empty: none, maps draw
// a local background and nothing leaves the machine). Pure (no vscode import) so it can be unit-tested.

/** The setting's value as a usable template: http(s) with {z}, {x} and {y}; anything else is null (no tiles). */
export function tileUrlSetting(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const text = raw.trim();
  if (!/^https?:\/\//i.test(text) || !['{z}', '{x}', '{y}'].every((part) => text.includes(part))) return null;
  return tileImgSource(text) ? text : null;
}

/**
 * The CSP source (for img-src) that admits the template's tiles: its scheme and host, with a `{s}` subdomain as
 * the `*.` wildcard. null when the host cannot be written as a CSP source (a placeholder past the first label,
 * credentials, or characters that could end the directive and smuggle in another one).
 */
export function tileImgSource(template: string): string | null {
  const match = /^(https?):\/\/([^/?#]*)/i.exec(template.trim());
  if (!match) return null;
  const scheme = match[1].toLowerCase();
  const host = match[2].toLowerCase().replace(/^\{[a-z0-9_-]+\}\./, '*.');
  const hostname = /^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:\d{1,5})?$/;
  const ipv6 = /^\[[0-9a-f:.]+\](:\d{1,5})?$/;
  return hostname.test(host) || ipv6.test(host) ? `${scheme}://${host}` : null;
}
