// Turns an error response body into one readable message: FastAPI's {"detail": …} unwrapped (a string, or a
// list of validation errors as `loc: msg` lines); anything else shown as is, truncated.

export const MAX_ERROR_BODY_CHARS = 2000;

export function truncateText(text: string, max: number = MAX_ERROR_BODY_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}… [${text.length - max} more characters]`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function renderLoc(loc: unknown): string {
  if (!Array.isArray(loc)) return typeof loc === 'string' ? loc : '';
  return loc.map((part) => String(part)).join('.');
}

function renderDetailItem(item: unknown): string {
  if (isRecord(item) && typeof item.msg === 'string') {
    const loc = renderLoc(item.loc);
    return loc ? `${loc}: ${item.msg}` : item.msg;
  }
  return typeof item === 'string' ? item : JSON.stringify(item);
}

/** FastAPI's `detail`: a string, a list of `{loc, msg, type}` errors, or any JSON value. */
export function formatFastApiDetail(detail: unknown): string {
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) return detail.map(renderDetailItem).join('\n');
  return JSON.stringify(detail);
}

/** The clean reason carried by an error body (already read as text). */
export function describeErrorBody(bodyText: string): string {
  const trimmed = bodyText.trim();
  if (!trimmed) return '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return truncateText(trimmed);
  }
  if (isRecord(parsed)) {
    if ('detail' in parsed) return truncateText(formatFastApiDetail(parsed.detail));
    for (const key of ['error', 'message']) {
      const value = parsed[key];
      if (typeof value === 'string') return truncateText(value);
      if (isRecord(value) && typeof value.message === 'string') return truncateText(value.message);
    }
  }
  return truncateText(typeof parsed === 'string' ? parsed : JSON.stringify(parsed));
}
