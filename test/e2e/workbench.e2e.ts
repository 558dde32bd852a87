// The Pixie workbench end to end, on the packaged .vsix in real VS Code (code-server + chromium), once per theme:
// the Pixie container lists the demo tools; text-stats runs from its form and shows outputs; the run appears in
// the Runs view and reopening it rebuilds the form; mandelbrot's PNG appears in the Artefacts view and opens in a
// tab; the status bar shows the validation item. Every step asserts on the DOM, then saves
// test-results/workbench-<step>-<theme>.png.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Theme, Workbench } from './driver';
import { type FrameLocator, type Locator, REPO_ROOT } from './harness-lib';

const VSIX = path.resolve(process.env.PIXIE_VSIX ?? path.join(REPO_ROOT, 'dist', 'pixie.vsix'));
const DEMO = path.join(REPO_ROOT, 'examples', 'demo-workspace');
/** What Pixie writes into the demo while someone uses it: never carried into the test's copy. */
const LEFT_BEHIND = /^(pixie\.db.*|\.pixie\.db\.tmp-.*|pixie\.log|artefacts|\.venv|__pycache__|node_modules)$/;
/** Tool runs, code-server start-up and tree refreshes are slow on a loaded machine: wait long for DOM states. */
const LONG = 90_000;
const TYPED = 'alpha beta gamma delta epsilon. Zeta eta theta!';

/** A clean copy of the demo workspace (no store, artefacts or venvs from someone's earlier use). */
function copyDemo(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-e2e-demo-'));
  const target = path.join(root, 'demo-workspace');
  fs.cpSync(DEMO, target, { recursive: true, filter: (source) => !LEFT_BEHIND.test(path.basename(source)) });
  return target;
}

/** The rows of one view of the side bar ("Tools", "Runs", "Artefacts"), expanding the view if it is collapsed. */
async function viewRows(wb: Workbench, view: string, text?: string | RegExp): Promise<Locator> {
  const pane = wb.page.locator(`.part.sidebar .pane:has(.pane-header h3.title:text-is("${view}"))`).first();
  await pane.waitFor({ state: 'visible', timeout: LONG });
  const header = pane.locator('.pane-header').first();
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  const rows = pane.locator('.pane-body .monaco-list-row');
  return text === undefined ? rows : rows.filter({ hasText: text });
}

/** Polls until `check` holds (DOM states that need more than one locator). */
async function waitUntil(what: string, check: () => Promise<boolean>, timeout = LONG): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * The webview whose form has the input `fieldKey`: several webviews may be in the DOM (one panel per tool,
 * the image preview), so find the one showing this tool's form.
 */
async function toolFrame(wb: Workbench, fieldKey: string): Promise<FrameLocator> {
  let found: FrameLocator | undefined;
  await waitUntil(`a Pixie panel with the input "${fieldKey}"`, async () => {
    const count = await wb.page.locator('iframe.webview.ready').count();
    for (let index = 0; index < count; index++) {
      const frame = wb.webview(index);
      if (await frame.locator(`.field[data-key="${fieldKey}"]`).first().isVisible()) {
        found = frame;
        return true;
      }
    }
    return false;
  });
  assert.ok(found);
  return found;
}

/** The output card for a declared key, once it holds a value (the card drops `.empty` when it shows one). */
function filledCard(frame: FrameLocator, key: string): Locator {
  return frame.locator(`section.output-card[data-output-key="${key}"]:not(.empty)`).first();
}

async function shot(wb: Workbench, step: string, theme: Theme): Promise<void> {
  await wb.page.mouse.move(5, 5); // no hover tooltips in the picture
  const file = await wb.screenshot(`workbench-${step}-${theme}`);
  assert.ok(fs.statSync(file).size > 10_000, `${file} holds a picture`);
}

function declareThemeSuite(theme: Theme): void {
  describe(`Pixie workbench on the demo workspace (${theme})`, { timeout: 420_000 }, () => {
    let workbench: Workbench | undefined;
    let workspace: string | undefined;
    const opened = (): Workbench => {
      assert.ok(workbench, 'the workbench did not start');
      return workbench;
    };

    before(async () => {
      assert.ok(fs.existsSync(VSIX), `${VSIX} is missing: run \`npm run package\` first`);
      workspace = copyDemo();
      workbench = await Workbench.open({ workspace, installExtensions: [VSIX], theme });
    });

    after(async () => {
      await workbench?.close();
      if (workspace) fs.rmSync(path.dirname(workspace), { recursive: true, force: true });
    });

    it('1. the Pixie container lists the demo tools in the Tools view', async () => {
      const wb = opened();
      await wb.openViewContainer('Pixie');
      for (const name of ['Text statistics', 'Mandelbrot explorer', 'Countdown', 'JSON explorer', 'Compound interest']) {
        await (await viewRows(wb, 'Tools', name)).first().waitFor({ state: 'visible', timeout: LONG });
      }
      const texts = await (await viewRows(wb, 'Tools')).allInnerTexts();
      assert.ok(texts.some((t) => t.includes('Text statistics')), `Tools rows: ${JSON.stringify(texts)}`);
      await shot(wb, '1-tools', theme);
    });

    it('2. text-stats runs from its form and shows its outputs', async () => {
      const wb = opened();
      await (await viewRows(wb, 'Tools', 'Text statistics')).first().click();
      const frame = await toolFrame(wb, 'text');
      const textarea = frame.locator('.field[data-key="text"] textarea').first();
      await textarea.waitFor({ state: 'visible', timeout: LONG });
      const run = frame.locator('vscode-button.run-button').first();
      await run.waitFor({ state: 'visible', timeout: LONG });
      await textarea.fill(TYPED);
      assert.equal(await textarea.inputValue(), TYPED);
      await waitUntil('the Run button to be enabled', async () => (await run.getAttribute('aria-disabled')) === 'false');
      await run.click();
      const words = filledCard(frame, 'word_count');
      await words.waitFor({ state: 'visible', timeout: LONG });
      assert.match(await words.locator('.output-body').innerText(), /\b8\b/, 'eight words typed');
      const highlights = filledCard(frame, 'highlights');
      await highlights.waitFor({ state: 'visible', timeout: LONG });
      assert.ok((await highlights.locator('.output-body').innerText()).trim().length > 0, 'the markdown card has content');
      await waitUntil('the run bar to say the run finished', async () => /^Finished/.test(await frame.locator('.run-status').first().innerText()));
      await shot(wb, '2-run', theme);
    });

    it('3. the Runs view shows the run; opening it rebuilds the form and outputs', async () => {
      const wb = opened();
      const row = (await viewRows(wb, 'Runs', 'Text statistics')).first();
      await row.waitFor({ state: 'visible', timeout: LONG });
      await waitUntil('the run row to show the ok status', async () => /, ok,/.test((await row.getAttribute('aria-label')) ?? ''));
      // Change the form first, so that only a replay can bring the typed text back.
      const frame = await toolFrame(wb, 'text');
      const textarea = frame.locator('.field[data-key="text"] textarea').first();
      await textarea.fill('something else entirely');
      await row.click();
      await waitUntil('the replayed run to restore the typed text', async () => (await (await toolFrame(wb, 'text')).locator('.field[data-key="text"] textarea').first().inputValue()) === TYPED);
      const replayed = await toolFrame(wb, 'text');
      const words = filledCard(replayed, 'word_count');
      await words.waitFor({ state: 'visible', timeout: LONG });
      assert.match(await words.locator('.output-body').innerText(), /\b8\b/);
      await shot(wb, '3-replay', theme);
    });

    it('4. mandelbrot writes a PNG artefact that opens in an editor tab', async () => {
      const wb = opened();
      await (await viewRows(wb, 'Tools', 'Mandelbrot explorer')).first().click();
      const frame = await toolFrame(wb, 'preset');
      const run = frame.locator('vscode-button.run-button').first();
      await waitUntil('the Run button to be enabled', async () => (await run.getAttribute('aria-disabled')) === 'false');
      await run.click();
      await filledCard(frame, 'render').waitFor({ state: 'visible', timeout: LONG });
      await filledCard(frame, 'escape_times').waitFor({ state: 'visible', timeout: LONG });
      // Artefacts are grouped by run: expand the mandelbrot run, then open its PNG.
      const group = (await viewRows(wb, 'Artefacts', 'Mandelbrot explorer')).first();
      await group.waitFor({ state: 'visible', timeout: LONG });
      if ((await group.getAttribute('aria-expanded')) === 'false') await group.click();
      const png = (await viewRows(wb, 'Artefacts', /\.png/i)).first();
      await png.waitFor({ state: 'visible', timeout: LONG });
      const filename = ((await png.locator('.label-name').first().innerText()).match(/\S+\.png/i) ?? [''])[0];
      assert.ok(filename, 'the artefact row names a .png file');
      await png.click();
      const tab = wb.page.locator('.part.editor .tabs-container .tab.active', { hasText: filename }).first();
      await tab.waitFor({ state: 'visible', timeout: LONG });
      assert.match(await tab.innerText(), new RegExp(filename.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      // VS Code's image preview is a webview of its own: wait until it shows the picture, not a blank pane.
      await waitUntil('the image preview to show the PNG', async () => {
        const count = await wb.page.locator('iframe.webview.ready').count();
        for (let index = 0; index < count; index++) {
          const frame = wb.webview(index);
          if ((await frame.locator('.field').count()) > 0) continue; // a Pixie panel, not the preview
          if (await frame.locator('img').first().isVisible()) return true;
        }
        return false;
      });
      await shot(wb, '4-artefact', theme);
    });

    it('5. the status bar shows the Pixie validation item', async () => {
      const wb = opened();
      const item = wb.page.locator('.part.statusbar [aria-label^="Pixie validation"]').first();
      await item.waitFor({ state: 'visible', timeout: LONG });
      await item.locator('.codicon-shield').first().waitFor({ state: 'visible', timeout: LONG });
      assert.match(await item.innerText(), /\d+ (✓|unchecked)/);
      await shot(wb, '5-status', theme);
    });
  });
}

declareThemeSuite('light');
declareThemeSuite('dark');
