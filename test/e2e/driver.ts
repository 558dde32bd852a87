// Drives a real VS Code workbench (code-server + headless chromium) for UI tests: start it on a
// workspace with the packaged extension installed (or loaded from a folder), run palette commands,
// open view containers, find tree rows, reach into webviews, switch theme and take screenshots.
// One Workbench per test file: start-up costs ~10 s, so tests in a file share it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  type Browser,
  type CodeServer,
  type FrameLocator,
  type Locator,
  type Page,
  type Viewport,
  REPO_ROOT,
  loadHarnessLib,
} from './harness-lib';

export type Theme = 'light' | 'dark';

export interface WorkbenchOptions {
  /** Folder to open; a temp copy is opened so the extension's writes never reach the repo. */
  workspace: string;
  /** Packaged extensions to install before start-up, e.g. dist/pixie.vsix. */
  installExtensions?: string[];
  /** Load an extension from its folder instead (development mode). */
  extensionDevelopmentPath?: string;
  theme?: Theme;
  /** false = Restricted Mode (untrusted workspace). */
  trust?: boolean;
  settings?: Record<string, unknown>;
  viewport?: Viewport;
  /** Where screenshot() writes; default test-results/ in the repo. */
  resultsDir?: string;
  log?: (message: string) => void;
}

const THEME_CLASS: Record<Theme, string> = { light: 'vs', dark: 'vs-dark' };
const DEFAULT_TIMEOUT = 30_000;

export class Workbench {
  private constructor(
    readonly page: Page,
    private readonly server: CodeServer,
    private readonly browser: Browser,
    private readonly resultsDir: string,
    private readonly viewport: Viewport,
  ) {}

  /** Starts code-server and chromium and waits until the workbench shows the workspace. */
  static async open(options: WorkbenchOptions): Promise<Workbench> {
    const lib = await loadHarnessLib();
    const config = lib.loadHarnessConfig();
    const log = options.log ?? (() => {});
    const server = await lib.startCodeServer({
      config,
      workspace: options.workspace,
      trust: options.trust ?? true,
      theme: options.theme ?? 'light',
      installExtensions: options.installExtensions ?? [],
      developmentMode: options.extensionDevelopmentPath !== undefined,
      settings: options.settings,
      log,
    });
    let browser: Browser | undefined;
    try {
      browser = await lib.launchChromium(config);
      const viewport = options.viewport ?? { width: 1400, height: 850 };
      const page = await browser.newPage({ viewport });
      page.on('pageerror', (error) => log(`[pageerror] ${String(error).slice(0, 300)}`));
      await page.goto(server.workbenchUrl({ extensionDevelopmentPath: options.extensionDevelopmentPath }));
      await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: 120_000 });
      await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60_000 });
      const resultsDir = options.resultsDir ?? path.join(REPO_ROOT, 'test-results');
      return new Workbench(page, server, browser, resultsDir, viewport);
    } catch (error) {
      await browser?.close().catch(() => {});
      await server.stop();
      throw error;
    }
  }

  /** The folder the workbench has open (a temp copy of the workspace). */
  get folder(): string {
    return this.server.folder;
  }

  /**
   * Runs a command by its palette title ("Pixie: Show Log"). Retries while the title is missing:
   * an extension's commands appear only once its contributions are registered. `opensPicker`: the
   * command shows a quick pick of its own, so the quick input stays open.
   */
  async runCommand(title: string, options: { attempts?: number; opensPicker?: boolean } = {}): Promise<void> {
    const attempts = options.attempts ?? 6;
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press('F1');
      await this.quickInput().waitFor({ state: 'visible', timeout: DEFAULT_TIMEOUT });
      await this.quickInput().fill(`>${title}`);
      try {
        await this.quickPickRow(title).waitFor({ state: 'visible', timeout: 5_000 });
        break;
      } catch (error) {
        await this.page.keyboard.press('Escape');
        if (attempt >= attempts) throw new Error(`command "${title}" is not in the palette: ${String(error)}`);
      }
    }
    await this.acceptQuickPickItem(title);
    if (!options.opensPicker) await this.quickInput().waitFor({ state: 'hidden', timeout: DEFAULT_TIMEOUT });
  }

  /** Types `filter` into the open quick pick and accepts the item labelled exactly `label`. */
  async pickQuickPickItem(label: string, filter = label): Promise<void> {
    await this.quickInput().waitFor({ state: 'visible', timeout: DEFAULT_TIMEOUT });
    await this.quickInput().fill(filter);
    await this.quickPickRow(label).waitFor({ state: 'visible', timeout: DEFAULT_TIMEOUT });
    await this.acceptQuickPickItem(label);
  }

  private quickInput(): Locator {
    return this.page.locator('.quick-input-widget .quick-input-box input').first();
  }

  /** A quick-pick row whose label is exactly `label` (fuzzy matching also lists longer titles). */
  private quickPickRow(label: string, focusedOnly = false): Locator {
    const row = `.quick-input-widget .monaco-list-row${focusedOnly ? '.focused' : ''}`;
    return this.page.locator(`${row} .label-name`, { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }).first();
  }

  /**
   * Moves the quick pick's focus to the row labelled `label` and presses Enter. The keyboard, not
   * a click: the best fuzzy match is focused first, and the list re-renders while it filters.
   */
  private async acceptQuickPickItem(label: string): Promise<void> {
    const focused = this.quickPickRow(label, true);
    for (let step = 0; (await focused.count()) === 0; step++) {
      if (step >= 50) throw new Error(`could not move the quick pick's focus to "${label}"`);
      await this.page.keyboard.press('ArrowDown');
    }
    await this.page.keyboard.press('Enter');
  }

  /** Opens an activity-bar view container by its title (aria-label starts with it), e.g. "Pixie". */
  async openViewContainer(name: string): Promise<void> {
    const item = this.page.locator(`.part.activitybar .action-item a[aria-label^="${cssString(name)}"]`).first();
    await item.waitFor({ state: 'visible', timeout: DEFAULT_TIMEOUT });
    const checked = await item.locator('xpath=..').getAttribute('aria-selected').catch(() => null);
    if (checked !== 'true') await item.click();
    await this.page.mouse.move(this.viewport.width / 2, this.viewport.height / 2); // no tooltip in screenshots
    await this.page
      .locator('.part.sidebar .composite.title', { hasText: name })
      .first()
      .waitFor({ state: 'visible', timeout: DEFAULT_TIMEOUT });
  }

  /** Tree/list rows in the side bar, optionally only those containing `text`. */
  treeRows(text?: string | RegExp): Locator {
    const rows = this.page.locator('.part.sidebar .monaco-list-row');
    return text === undefined ? rows : rows.filter({ hasText: text });
  }

  /** The bottom panel (Output, Problems, Terminal, ...). */
  panel(): Locator {
    return this.page.locator('.part.panel');
  }

  /** Waits for the Output view to be showing in the panel and returns the name of the channel it shows. */
  async activeOutputChannel(timeout = DEFAULT_TIMEOUT): Promise<string> {
    const panel = this.panel();
    const tab = panel.locator('.composite.title .action-item.checked .action-label', { hasText: 'Output' });
    await tab.waitFor({ state: 'visible', timeout });
    const picker = panel.locator('.composite.title select.monaco-select-box').first();
    await picker.waitFor({ state: 'visible', timeout });
    return picker.inputValue({ timeout });
  }

  /**
   * The content of a webview: VS Code hosts each in `iframe.webview` with the page itself in an
   * inner `iframe#active-frame`. `index` picks among several open webviews (0 = first in the DOM).
   */
  webview(index = 0): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').nth(index).frameLocator('iframe#active-frame');
  }

  /**
   * Switches the colour theme the way a user does (Preferences: Color Theme) and waits for the
   * workbench to repaint. Editing settings.json on disk is not picked up live by code-server.
   */
  async setTheme(theme: Theme): Promise<void> {
    const lib = await loadHarnessLib();
    const label = lib.themeLabel(theme).replace(/^Default /, ''); // the picker lists "Dark Modern"
    await this.runCommand('Preferences: Color Theme', { opensPicker: true });
    await this.pickQuickPickItem(label);
    await this.quickInput().waitFor({ state: 'hidden', timeout: DEFAULT_TIMEOUT });
    await this.page
      .locator(`.monaco-workbench.${THEME_CLASS[theme]}`)
      .waitFor({ state: 'attached', timeout: DEFAULT_TIMEOUT });
    await this.page.waitForTimeout(300); // let the new colours paint before a screenshot
  }

  /** Saves a PNG of the whole window as <resultsDir>/<name>.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(this.resultsDir, { recursive: true });
    const file = path.join(this.resultsDir, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** The code-server log so far, for failure messages. */
  serverLog(): string {
    return this.server.readLog();
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => {});
    await this.server.stop();
  }
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Escapes a value for use inside a double-quoted CSS attribute selector. */
function cssString(value: string): string {
  return value.replace(/["\\]/g, '\\$&');
}
