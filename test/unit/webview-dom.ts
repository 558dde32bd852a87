// A browser-like DOM for the webview tests: a happy-dom window installed as the globals the webview code uses, the
// @vscode-elements components registered, and every input and output module loaded. happy-dom has no
// ElementInternals, which the form-associated components call in their constructors, so a minimal one is supplied.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Window } from 'happy-dom' with { 'resolution-mode': 'import' };
// Loaded here so each test file gets the modules registered (they touch no DOM while loading).
import '../../webview/form/inputs';
import '../../webview/outputs/renderers';

let installed: Window | undefined;

/** Globals replaced even though Node has its own (the webview code must see the DOM's). */
const OVERRIDE = ['window', 'document', 'navigator', 'location', 'customElements', 'HTMLElement', 'Node', 'Element'];

function internalsStub(): Record<string, unknown> {
  return {
    setFormValue() {},
    setValidity() {},
    checkValidity: () => true,
    reportValidity: () => true,
    validity: { valid: true },
    validationMessage: '',
    willValidate: true,
    form: null,
    labels: [],
    states: new Set<string>(),
  };
}

export async function setupDom(): Promise<Window> {
  if (installed) return installed;
  // happy-dom is ESM-only, so it is imported dynamically from this CommonJS test module.
  const { Window } = await import('happy-dom');
  const window = new Window({
    url: 'https://webview.test/',
    width: 1280,
    height: 900,
    settings: { disableCSSFileLoading: true, disableJavaScriptFileLoading: true, disableIframePageLoading: true },
  });
  // The panel's page links the bundled codicon stylesheet under this id; vscode-icon looks for it (and warns without).
  const link = window.document.createElement('link');
  link.id = 'vscode-codicon-stylesheet';
  link.setAttribute('rel', 'stylesheet');
  link.setAttribute('href', 'main.css');
  window.document.head.appendChild(link);
  const source = window as unknown as Record<string, unknown>;
  for (const key of Object.getOwnPropertyNames(window)) {
    if (key in globalThis && !OVERRIDE.includes(key)) continue;
    try {
      Object.defineProperty(globalThis, key, { value: source[key], configurable: true, writable: true });
    } catch {
      // A few read-only globals stay Node's; the webview code does not use them.
    }
  }
  const proto = (window.HTMLElement as unknown as { prototype: Record<string, unknown> }).prototype;
  if (typeof proto.attachInternals !== 'function') proto.attachInternals = internalsStub;
  // Defining the custom elements needs the DOM globals, so this one waits until they are installed.
  await import(pathToFileURL(path.join(__dirname, '../../webview/elements/register.ts')).href);
  installed = window;
  return window;
}

export async function closeDom(): Promise<void> {
  await installed?.happyDOM.close();
  installed = undefined;
}

/** Lets Lit finish pending renders and microtasks. */
export function settle(ms = 0): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Fires a DOM event of the page's own Event class. */
export function fire(target: EventTarget, type: string): void {
  const EventClass = (globalThis as unknown as { window: { Event: typeof Event } }).window.Event;
  target.dispatchEvent(new EventClass(type, { bubbles: true }));
}
