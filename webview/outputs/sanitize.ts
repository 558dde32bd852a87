// HTML from tool output (markdown rendered by markdown-it) becomes DOM only through here: DOMPurify first, then our
// own allowlist over the parsed tree — tags, attributes and URL schemes — so a sanitiser that misbehaves in some
// environment (DOMPurify's self-test fails) can never let markup through on its own. Parsing goes through a
// <template>, which is inert: nothing loads and nothing runs while it is examined.
import DOMPurify from 'dompurify';

const KEEP_TAGS = new Set([
  'a', 'abbr', 'b', 'blockquote', 'br', 'caption', 'cite', 'code', 'col', 'colgroup', 'dd', 'del', 'details', 'div', 'dl',
  'dt', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'pre', 'q', 's',
  'samp', 'small', 'span', 'strong', 'sub', 'summary', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'u', 'ul',
]);
/** Dropped with everything inside them (unknown tags are unwrapped instead, keeping their text). */
const DROP_TAGS = new Set([
  'script', 'style', 'template', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'noscript', 'svg', 'math',
  'form', 'input', 'button', 'textarea', 'select', 'option', 'link', 'meta', 'base', 'title', 'head', 'audio', 'video',
  'source', 'track', 'canvas', 'portal',
]);
const KEEP_ATTRS = new Set(['title', 'alt', 'colspan', 'rowspan', 'start', 'align', 'class', 'width', 'height', 'open', 'id']);
const URL_ATTRS: Record<string, string> = { a: 'href', img: 'src' };

const PURIFY_CONFIG = {
  FORBID_TAGS: [...DROP_TAGS],
  FORBID_ATTR: ['style', 'srcset', 'formaction', 'xlink:href', 'action'],
  ALLOW_DATA_ATTR: false,
};

export function safeUrl(tag: string, url: string): boolean {
  const value = url.trim();
  if (tag === 'img') return /^data:image\/[a-z0-9.+-]+[;,]/i.test(value);
  return /^(https?:|mailto:)/i.test(value) || /^#[\w-]*$/.test(value);
}

type Purifier = ReturnType<typeof DOMPurify>;
let purifier: Purifier | null | undefined;

/** DOMPurify bound to this page, if it passes a self-test here (it does in Chromium; some test DOMs break it). */
function workingPurifier(): Purifier | null {
  if (purifier !== undefined) return purifier;
  const candidate = DOMPurify(window);
  // No event-handler attribute in the probe: parsing one makes the page's CSP report a (blocked) inline handler.
  const probe = candidate.isSupported ? candidate.sanitize('<h1>a</h1><script>b</script><a href="javascript:c">d</a><p title="t" data-x="1">e</p>', PURIFY_CONFIG) : '';
  purifier = probe === '<h1>a</h1><a>d</a><p title="t">e</p>' ? candidate : null;
  return purifier;
}

function cleanTree(root: ParentNode): void {
  for (const element of [...root.querySelectorAll('*')]) {
    if (!element.isConnected && !root.contains(element)) continue; // inside something already dropped
    const tag = element.localName;
    if (DROP_TAGS.has(tag)) {
      element.remove();
      continue;
    }
    if (!KEEP_TAGS.has(tag)) {
      element.replaceWith(...element.childNodes);
      continue;
    }
    for (const attr of [...element.attributes]) {
      const name = attr.name.toLowerCase();
      const urlAttr = URL_ATTRS[tag];
      if (name === urlAttr) {
        if (!safeUrl(tag, attr.value)) element.removeAttribute(attr.name);
      } else if (!KEEP_ATTRS.has(name)) {
        element.removeAttribute(attr.name);
      }
    }
    if (tag === 'a' && element.hasAttribute('href')) element.setAttribute('rel', 'noopener noreferrer');
  }
}

/** Safe DOM for an HTML string; the caller appends it. */
export function sanitizeHtml(html: string): DocumentFragment {
  const purify = workingPurifier();
  const template = document.createElement('template');
  template.innerHTML = purify ? purify.sanitize(html, PURIFY_CONFIG) : html;
  cleanTree(template.content);
  return document.importNode(template.content, true);
}

/** Whether DOMPurify is in use here (false: only the allowlist stage runs). */
export function purifierActive(): boolean {
  return workingPurifier() !== null;
}
