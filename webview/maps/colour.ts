// Colours for map layers: a tool's colour only when it is a plain CSS colour, theme colours read from VS Code's CSS
// variables (the canvas renderer needs concrete values), and a ramp for heat and choropleth shading.

const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;
const FUNCTIONAL = /^(?:rgb|rgba|hsl|hsla)\(\s*[-+0-9.%\s,/deg]+\)$/i;
const NAMED = /^[a-z]{3,20}$/i;

/** A tool's colour if it is a hex, rgb()/hsl() or named colour; anything else (url(), var(), markup) is refused. */
export function safeColour(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  return HEX.test(text) || FUNCTIONAL.test(text) || NAMED.test(text) ? text : undefined;
}

/** The value of a VS Code theme variable on the page, or `fallback` outside VS Code (tests) or when unset. */
export function themeColour(variable: string, fallback: string): string {
  if (typeof document === 'undefined' || !document.body || typeof getComputedStyle !== 'function') return fallback;
  const value = getComputedStyle(document.body).getPropertyValue(variable).trim();
  return safeColour(value) ?? fallback;
}

export type Rgb = [number, number, number];

/** `#rgb`, `#rrggbb` (alpha ignored) or `rgb(r, g, b)` as numbers; other forms are undefined. */
export function parseRgb(colour: string): Rgb | undefined {
  const text = colour.trim();
  if (HEX.test(text)) {
    const digits = text.slice(1);
    const full = digits.length <= 4 ? [...digits.slice(0, 3)].map((d) => d + d).join('') : digits.slice(0, 6);
    return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as Rgb;
  }
  const match = /^rgba?\(\s*(\d+(?:\.\d+)?)[\s,]+(\d+(?:\.\d+)?)[\s,]+(\d+(?:\.\d+)?)/i.exec(text);
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2]), Number(match[3])].map((n) => Math.max(0, Math.min(255, n))) as Rgb;
}

function hex(rgb: Rgb): string {
  return `#${rgb.map((n) => Math.round(n).toString(16).padStart(2, '0')).join('')}`;
}

/** The colour at `t` (0..1) along evenly spaced stops; stops that cannot be parsed count as grey. */
export function rampColour(stops: readonly string[], t: number): string {
  const rgbs = stops.map((s) => parseRgb(s) ?? ([128, 128, 128] as Rgb));
  if (rgbs.length === 0) return '#808080';
  if (rgbs.length === 1 || !Number.isFinite(t)) return hex(rgbs[0]);
  const x = Math.max(0, Math.min(1, t)) * (rgbs.length - 1);
  const i = Math.min(rgbs.length - 2, Math.floor(x));
  const f = x - i;
  return hex([0, 1, 2].map((k) => rgbs[i][k] + (rgbs[i + 1][k] - rgbs[i][k]) * f) as Rgb);
}

/** Series colours in the order charts use them, resolved from the theme. */
export function seriesColours(): string[] {
  return [
    themeColour('--vscode-charts-blue', '#3794ff'),
    themeColour('--vscode-charts-orange', '#d18616'),
    themeColour('--vscode-charts-green', '#89d185'),
    themeColour('--vscode-charts-purple', '#b180d7'),
    themeColour('--vscode-charts-red', '#f14c4c'),
    themeColour('--vscode-charts-yellow', '#cca700'),
  ];
}
