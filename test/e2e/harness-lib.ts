// Typed access to scripts/vscode-harness/code-server.mjs (the code-server lifecycle shared with the
// host-test runner) and to the small part of playwright-core the e2e driver uses. playwright-core is
// installed with code-server outside the repo (npm run harness:install), not as a project
// dependency, so its API is declared here by hand: extend these interfaces as tests need more.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface Viewport {
  width: number;
  height: number;
}

export type LocatorState = 'attached' | 'detached' | 'visible' | 'hidden';

export interface Locator {
  first(): Locator;
  last(): Locator;
  nth(index: number): Locator;
  locator(selector: string, options?: { hasText?: string | RegExp }): Locator;
  filter(options: { hasText?: string | RegExp }): Locator;
  waitFor(options?: { state?: LocatorState; timeout?: number }): Promise<void>;
  /** `force`: skip the actionability checks (an SVG shape another layer partly covers). */
  click(options?: { timeout?: number; button?: 'left' | 'right' | 'middle'; force?: boolean }): Promise<void>;
  dblclick(options?: { timeout?: number }): Promise<void>;
  fill(value: string, options?: { timeout?: number }): Promise<void>;
  count(): Promise<number>;
  innerText(options?: { timeout?: number }): Promise<string>;
  allInnerTexts(): Promise<string[]>;
  getAttribute(name: string, options?: { timeout?: number }): Promise<string | null>;
  isVisible(): Promise<boolean>;
  /** The value of an input, textarea or select element. */
  inputValue(options?: { timeout?: number }): Promise<string>;
  screenshot(options: { path: string }): Promise<Buffer>;
  /**
   * Evaluates a JavaScript expression in the element's page or frame and returns its (awaited, serialisable) value.
   * A string on purpose: functions compiled by tsx carry esbuild's `__name` helper, which the page does not have.
   */
  evaluate<R>(expression: string): Promise<R>;
}

export interface FrameLocator {
  first(): FrameLocator;
  nth(index: number): FrameLocator;
  locator(selector: string, options?: { hasText?: string | RegExp }): Locator;
  frameLocator(selector: string): FrameLocator;
}

export interface Keyboard {
  press(key: string): Promise<void>;
  type(text: string, options?: { delay?: number }): Promise<void>;
}

export interface Mouse {
  move(x: number, y: number): Promise<void>;
  click(x: number, y: number): Promise<void>;
}

export interface Page {
  readonly keyboard: Keyboard;
  readonly mouse: Mouse;
  goto(url: string, options?: { timeout?: number }): Promise<unknown>;
  waitForSelector(selector: string, options?: { state?: LocatorState; timeout?: number }): Promise<unknown>;
  waitForTimeout(ms: number): Promise<void>;
  locator(selector: string, options?: { hasText?: string | RegExp }): Locator;
  frameLocator(selector: string): FrameLocator;
  screenshot(options: { path: string; fullPage?: boolean }): Promise<Buffer>;
  on(event: 'pageerror', listener: (error: Error) => void): void;
}

export interface Browser {
  newPage(options?: { viewport?: Viewport }): Promise<Page>;
  close(): Promise<void>;
}

export interface HarnessConfig {
  codeServer: string;
  node: string;
  playwrightDir: string;
  chromium: string;
}

export interface StartOptions {
  workspace: string;
  trust?: boolean;
  theme?: string;
  installExtensions?: string[];
  copyWorkspace?: boolean;
  /** The workbench URL will carry extensionDevelopmentPath (needs the smoke-test driver on VS Code >= 1.118). */
  developmentMode?: boolean;
  settings?: Record<string, unknown>;
  env?: Record<string, string>;
  keep?: boolean;
  config?: HarnessConfig;
  log?: (message: string) => void;
}

export interface CodeServer {
  pid: number;
  port: number;
  origin: string;
  /** The folder the workbench opens: a temp copy of the workspace unless copyWorkspace was false. */
  folder: string;
  tmpRoot: string;
  userSettingsPath: string;
  serverLog: string;
  workbenchUrl(options?: { extensionDevelopmentPath?: string; extensionTestsPath?: string }): string;
  writeUserSettings(patch: Record<string, unknown>): void;
  readLog(): string;
  stop(): Promise<void>;
}

export interface HarnessLib {
  loadHarnessConfig(): HarnessConfig;
  themeLabel(theme: string): string;
  startCodeServer(options: StartOptions): Promise<CodeServer>;
  launchChromium(config?: HarnessConfig): Promise<Browser>;
}

export async function loadHarnessLib(): Promise<HarnessLib> {
  const file = path.join(REPO_ROOT, 'scripts', 'vscode-harness', 'code-server.mjs');
  return (await import(pathToFileURL(file).href)) as HarnessLib;
}
