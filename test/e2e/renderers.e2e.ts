// Every input and output type in real VS Code (packaged .vsix, code-server + chromium), on a workspace holding the
// all-inputs and all-outputs fixture tools:
//   1. the all-inputs form has its own control for each of the 28 types; run untouched, the tool receives exactly
//      expected-defaults.json (it echoes its inputs);
//   2. all-outputs in normal mode: all 39 cards present and showing their value (not empty, not "not yet
//      supported", not a fallback), no CSP violation but styles;
//   3. screenshots of both panels in the light, dark and high-contrast themes (test-results/renderers-*.png);
//   4. xss mode: the payloads never run (window.__pixieXss stays undefined, no script-src CSP violation, no script,
//      handler attribute or javascript: URL in the outputs);
//   5. big mode: first paint of the 100,000-row table and of the 100,000-point line chart, measured in the webview
//      from the runFinished message to the frame after the element is marked rendered; < 1 s each, written to
//      test-results/renderers-perf.json (with the normal run's numbers as a baseline) and printed.
// Run alone: `npm run package && node --import tsx test/e2e/run.ts test/e2e/renderers.e2e.ts`
// (PIXIE_E2E_INLINE_OUTPUT_MAX_BYTES: see INLINE_MAX below).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Workbench } from './driver';
import { type FrameLocator, type Locator, REPO_ROOT } from './harness-lib';

const VSIX = path.resolve(process.env.PIXIE_VSIX ?? path.join(REPO_ROOT, 'dist', 'pixie.vsix'));
const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'tools');
const RESULTS = path.join(REPO_ROOT, 'test-results');
const LONG = 90_000;
const PERF_BUDGET_MS = 1000;
/**
 * pixie.inlineOutputMaxBytes for the test workspace; unset = the default. With the default, the big values are spilled
 * to artefact files and read back by the host for the panel (structured values up to 32 MiB), as a user sees them.
 */
const INLINE_MAX = process.env.PIXIE_E2E_INLINE_OUTPUT_MAX_BYTES;

const INPUT_TYPES = [
  'text', 'textarea', 'number', 'slider', 'select', 'multiselect', 'checkbox', 'toggle', 'radio', 'date', 'time', 'datetime',
  'date_range', 'file', 'image', 'audio', 'colour', 'json', 'code', 'markdown', 'tags', 'autocomplete', 'table', 'map_point',
  'map_bbox', 'map_polygon', 'map_multipoint', 'hidden',
];

interface ThemeChoice {
  name: 'light' | 'dark' | 'high-contrast';
  /** The label in "Preferences: Color Theme" (the setting's value is in the comment). */
  picker: string;
  workbenchClass: string;
  webviewClass: string;
}
const THEMES: Record<ThemeChoice['name'], ThemeChoice> = {
  light: { name: 'light', picker: 'Light Modern', workbenchClass: 'vs', webviewClass: 'vscode-light' }, // Default Light Modern
  dark: { name: 'dark', picker: 'Dark Modern', workbenchClass: 'vs-dark', webviewClass: 'vscode-dark' }, // Default Dark Modern
  'high-contrast': { name: 'high-contrast', picker: 'Dark High Contrast', workbenchClass: 'hc-black', webviewClass: 'vscode-high-contrast' }, // Default High Contrast
};

/** A workspace with the two fixture tools (and the server helper they import), outside the repo. */
function makeWorkspace(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-e2e-renderers-'));
  const workspace = path.join(root, 'renderers-workspace');
  for (const id of ['_lib', 'all-inputs', 'all-outputs']) fs.cpSync(path.join(FIXTURES, id), path.join(workspace, 'tools', id), { recursive: true });
  if (INLINE_MAX) {
    fs.mkdirSync(path.join(workspace, '.vscode'));
    fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'pixie.inlineOutputMaxBytes': Number(INLINE_MAX) }));
  }
  return workspace;
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeout = LONG): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function viewRows(wb: Workbench, view: string, text?: string | RegExp): Promise<Locator> {
  const pane = wb.page.locator(`.part.sidebar .pane:has(.pane-header h3.title:text-is("${view}"))`).first();
  await pane.waitFor({ state: 'visible', timeout: LONG });
  const header = pane.locator('.pane-header').first();
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  const rows = pane.locator('.pane-body .monaco-list-row');
  return text === undefined ? rows : rows.filter({ hasText: text });
}

/** The visible Pixie panel whose form has the input `fieldKey`. */
async function toolFrame(wb: Workbench, fieldKey: string, timeout = LONG): Promise<FrameLocator> {
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
  }, timeout);
  assert.ok(found);
  return found;
}

/** Opens a tool's panel from the Tools view; on a busy machine a click right after start-up can go unheard, so retry. */
async function openTool(wb: Workbench, name: string, fieldKey: string): Promise<FrameLocator> {
  for (let attempt = 1; ; attempt++) {
    await (await viewRows(wb, 'Tools', name)).first().click();
    try {
      return await toolFrame(wb, fieldKey, 40_000);
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

/** Evaluates `body` (a JS expression using `document`/`window`) in the webview's frame. */
function inFrame<R>(frame: FrameLocator, body: string): Promise<R> {
  return frame.locator('body').evaluate<R>(body);
}

async function clickRun(frame: FrameLocator): Promise<void> {
  const run = frame.locator('vscode-button.run-button').first();
  await waitUntil('the Run button to be enabled', async () => (await run.getAttribute('aria-disabled')) === 'false');
  await run.click();
}

async function waitFinished(frame: FrameLocator, timeout = LONG): Promise<string> {
  let status = '';
  await waitUntil('the run bar to say the run finished', async () => {
    status = await frame.locator('.run-status').first().innerText();
    return /^(Finished|Failed|Cancelled)/i.test(status);
  }, timeout);
  return status;
}

async function chooseMode(frame: FrameLocator, index: number): Promise<void> {
  await frame.locator('.field[data-key="mode"] vscode-radio').nth(index).click();
}

async function switchTheme(wb: Workbench, theme: ThemeChoice, frame: FrameLocator | undefined): Promise<void> {
  await wb.runCommand('Preferences: Color Theme', { opensPicker: true });
  await wb.pickQuickPickItem(theme.picker);
  await wb.page.locator(`.monaco-workbench.${theme.workbenchClass}`).waitFor({ state: 'attached', timeout: LONG });
  if (frame) await waitUntil(`the webview to follow the ${theme.name} theme`, async () => inFrame<boolean>(frame, `document.body.classList.contains(${JSON.stringify(theme.webviewClass)})`));
  await wb.page.waitForTimeout(500); // the new colours paint (charts redraw on theme change)
}

/**
 * Screenshots of a panel from top to bottom: the webview scrolls element by element (`selector`, every `step`-th),
 * the workbench is photographed each time. Returns the files.
 */
async function panelShots(wb: Workbench, frame: FrameLocator, name: string, selector: string, step: number): Promise<string[]> {
  const count = await frame.locator(selector).count();
  const files: string[] = [];
  await wb.page.mouse.move(5, 5);
  for (let index = 0, shot = 1; index < Math.max(count, 1); index += step, shot++) {
    await inFrame(frame, `(() => { const el = document.querySelectorAll(${JSON.stringify(selector)})[${index}]; if (el) el.scrollIntoView({ block: 'start' }); else window.scrollTo(0, 0); })()`);
    await wb.page.waitForTimeout(300);
    const file = await wb.screenshot(`${name}-${String(shot).padStart(2, '0')}`);
    assert.ok(fs.statSync(file).size > 10_000, `${file} holds a picture`);
    files.push(file);
  }
  return files;
}

/** Records CSP violations in the webview from now on (window.__pixieCsp). */
function watchCsp(frame: FrameLocator): Promise<void> {
  return inFrame(frame, `(() => {
    window.__pixieCsp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      // Which output's element it was (an inline style attribute's violation is reported at the element).
      const owner = e.target && e.target.closest ? e.target.closest('[data-output-key]') : null;
      const where = owner ? owner.getAttribute('data-output-key') : (e.target && e.target.nodeName) || '?';
      const source = e.sourceFile ? ' at ' + e.sourceFile.split('/').pop() + ':' + e.lineNumber + ':' + e.columnNumber : '';
      window.__pixieCsp.push(e.effectiveDirective + ' in ' + where + ' ' + (e.blockedURI || '') + source + ' ' + (e.sample || '').slice(0, 80));
    });
  })()`);
}

function cspViolations(frame: FrameLocator): Promise<string[]> {
  return inFrame<string[]>(frame, 'window.__pixieCsp || []');
}

/** Why each output card does not show its value ([] when all do). */
function cardProblems(frame: FrameLocator, keys: string[]): Promise<string[]> {
  return inFrame<string[]>(frame, `(() => {
    const problems = [];
    for (const key of ${JSON.stringify(keys)}) {
      const card = document.querySelector('section.output-card[data-output-key="' + key + '"]');
      if (!card) { problems.push(key + ': no card'); continue; }
      if (card.classList.contains('empty') || card.querySelector('.output-empty')) problems.push(key + ': the empty placeholder');
      if (card.querySelector('.unsupported-note')) problems.push(key + ': "not yet supported"');
      if (card.querySelector('.large-value')) problems.push(key + ': offered as a large file instead of shown');
      const fallback = [...card.querySelectorAll('.output-note')].find((n) => n.textContent.startsWith('Could not render'));
      if (fallback) problems.push(key + ': ' + fallback.textContent);
      const body = card.querySelector('.output-body') || card;
      if (body.textContent.trim() === '' && !body.querySelector('img, canvas, svg, video, audio, table')) problems.push(key + ': a blank body');
    }
    return problems;
  })()`);
}

/** What in the outputs pane could run script or load from elsewhere ([] when nothing). */
function xssProblems(frame: FrameLocator): Promise<string[]> {
  return inFrame<string[]>(frame, `(() => {
    const problems = [];
    if (window.__pixieXss !== undefined) problems.push('window.__pixieXss = ' + String(window.__pixieXss));
    const root = document.querySelector('.outputs-pane') || document.body;
    for (const el of root.querySelectorAll('script, iframe, frame, object, embed, base, form')) problems.push('element <' + el.localName + '>');
    for (const el of root.querySelectorAll('*')) {
      for (const attr of el.attributes) {
        const name = attr.name.toLowerCase();
        const value = attr.value.replace(/[\\s\\x00-\\x20]/g, '').toLowerCase();
        if (name.startsWith('on')) problems.push(name + ' on <' + el.localName + '>');
        if (['src', 'href', 'xlink:href', 'action', 'formaction', 'poster', 'data'].includes(name) && /^(javascript:|vbscript:|data:text\\/html)/.test(value)) problems.push(name + '=' + attr.value.slice(0, 60) + ' on <' + el.localName + '>');
      }
    }
    for (const el of root.querySelectorAll('img, video, audio, source')) {
      const src = el.getAttribute('src');
      // Artefacts and the bundle load through the webview's resource host (file+… on the desktop, vscode-remote+… here).
      if (src && !/^(data:|blob:|https:\\/\\/[^/]+\\.vscode-resource\\.vscode-cdn\\.net\\/)/i.test(src)) problems.push('<' + el.localName + '> loads ' + src.slice(0, 80));
    }
    return problems;
  })()`);
}

/** Installs the first-paint probe: times from the runFinished message to the frame after each element is ready. */
function installPerfProbe(frame: FrameLocator): Promise<void> {
  return inFrame(frame, `(() => {
    const perf = { finishedAt: null, domReady: null, table: null, chart: null, tableRows: 0, tableStatus: '', chartMarker: '', chartRenderMs: null, longTasks: [] };
    window.__pixiePerf = perf;
    // Capture on window: runs before the app's own message listener, so rendering is inside the measurement.
    window.addEventListener('message', (event) => {
      const data = event.data;
      if (perf.finishedAt === null && data && data.kind === 'notification' && data.method === 'runFinished') perf.finishedAt = performance.now();
    }, { capture: true });
    // Long tasks around the message: one that starts before it (negative start) includes receiving the message
    // (deserialising its data), which happens before any listener runs.
    try {
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          if (perf.finishedAt !== null && entry.startTime + entry.duration >= perf.finishedAt) {
            perf.longTasks.push({ startMs: Math.round(entry.startTime - perf.finishedAt), durationMs: Math.round(entry.duration) });
          }
        }
      }).observe({ type: 'longtask' });
    } catch {
      // No long-task timing here: the other numbers stand.
    }
    const afterPaint = (done) => requestAnimationFrame(() => setTimeout(done, 0));
    const card = (key) => document.querySelector('section.output-card[data-output-key="' + key + '"]');
    // The chart card (.chart-card) says data-rendered="false" until ECharts' first 'finished' event, then "true".
    const RENDERED = '[data-rendered="true"]';
    let tableSeen = false;
    let chartSeen = false;
    const check = () => {
      if (perf.finishedAt === null) return;
      // The first mutation after the message: the app's synchronous handling of it (every card) has ended.
      if (perf.domReady === null) perf.domReady = performance.now() - perf.finishedAt;
      const table = card('table');
      if (!tableSeen && table && table.querySelector('tbody tr')) {
        tableSeen = true;
        perf.tableRows = table.querySelectorAll('tbody tr').length;
        perf.tableStatus = (table.querySelector('.table-status') || {}).textContent || '';
        afterPaint(() => { perf.table = performance.now() - perf.finishedAt; });
      }
      const chart = card('chart_line');
      const marked = chart && (chart.matches(RENDERED) ? chart : chart.querySelector(RENDERED));
      if (!chartSeen && marked) {
        chartSeen = true;
        perf.chartMarker = marked.outerHTML.slice(0, marked.outerHTML.indexOf('>') + 1);
        perf.chartRenderMs = Number(marked.getAttribute('data-render-ms'));
        afterPaint(() => { perf.chart = performance.now() - perf.finishedAt; });
      }
    };
    new MutationObserver(check).observe(document.body, { subtree: true, childList: true, attributes: true });
  })()`);
}

/** Sizes of the packaged webview bundle (dist/webview, what the .vsix carries), for the record. */
function bundleSizes(): Record<string, number> {
  const dir = path.join(REPO_ROOT, 'dist', 'webview');
  if (!fs.existsSync(dir)) return {};
  const sizes: Record<string, number> = {};
  let total = 0;
  for (const name of fs.readdirSync(dir)) {
    const size = fs.statSync(path.join(dir, name)).size;
    total += size;
    if (name === 'main.js' || name === 'main.css') sizes[name] = size;
  }
  return { ...sizes, total };
}

interface PerfResult {
  finishedAt: number | null;
  /** From the message to the end of the app's synchronous handling of it (every card built). */
  domReady: number | null;
  longTasks: { startMs: number; durationMs: number }[];
  table: number | null;
  chart: number | null;
  tableRows: number;
  tableStatus: string;
  chartMarker: string;
  /** The chart card's own data-render-ms: from its render() call to ECharts' first drawn frame. */
  chartRenderMs: number | null;
}

describe('every input and output type in the real webview', { timeout: 900_000 }, () => {
  let workbench: Workbench | undefined;
  let workspace: string | undefined;
  let outputs: FrameLocator | undefined;
  let outputKeys: string[] = [];
  /** The same probe on the normal run (small table and chart, all 39 cards): the baseline for the big run. */
  let normalPerf: PerfResult | undefined;
  const opened = (): Workbench => {
    assert.ok(workbench, 'the workbench did not start');
    return workbench;
  };
  const outputsFrame = (): FrameLocator => {
    assert.ok(outputs, 'the all-outputs panel is not open (an earlier step failed)');
    return outputs;
  };

  before(async () => {
    assert.ok(fs.existsSync(VSIX), `${VSIX} is missing: run \`npm run package\` first`);
    workspace = makeWorkspace();
    const spec = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'all-outputs', 'tool.json'), 'utf8')) as { outputs: { key: string }[] };
    outputKeys = spec.outputs.map((o) => o.key);
    workbench = await Workbench.open({
      workspace,
      installExtensions: [VSIX],
      theme: 'light',
      viewport: { width: 1600, height: 1000 },
      // code-server would announce every tool's port in a notification (it covers the outputs in the pictures).
      settings: { 'remote.autoForwardPorts': false },
    });
  });

  after(async () => {
    await workbench?.close();
    if (workspace) fs.rmSync(path.dirname(workspace), { recursive: true, force: true });
  });

  it('1. all-inputs: a control for each of the 28 types; run untouched, the tool receives exactly the defaults', async () => {
    const wb = opened();
    await wb.openViewContainer('Pixie');
    const frame = await openTool(wb, 'All inputs', 'map_multipoint');
    const missing = await inFrame<string[]>(frame, `${JSON.stringify(INPUT_TYPES)}.filter((type) => {
      const field = document.querySelector('.field[data-type="' + type + '"]');
      return !field || field.querySelector('.fallback-input') !== null;
    })`);
    assert.deepEqual(missing, [], `input types without their own control: ${missing.join(', ')}`);
    const legends = await frame.locator('fieldset.field-group > legend').allInnerTexts();
    assert.deepEqual(legends.map((l) => l.trim()), ['Words', 'Numbers', 'Choices', 'Dates', 'Files', 'Structured', 'Maps']);

    await clickRun(frame);
    const status = await waitFinished(frame);
    assert.match(status, /^Finished/, status);
    const received = frame.locator('section.output-card[data-output-key="received"]:not(.empty) code').first();
    await received.waitFor({ state: 'attached', timeout: LONG });
    const sent = JSON.parse(await inFrame<string>(frame, `document.querySelector('section.output-card[data-output-key="received"] code').textContent`)) as unknown;
    const expected = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'all-inputs', 'expected-defaults.json'), 'utf8')) as unknown;
    assert.deepEqual(sent, expected, 'what the tool received');
  });

  it('2. screenshots of the all-inputs form in the light, dark and high-contrast themes', async () => {
    const wb = opened();
    const frame = await toolFrame(wb, 'map_multipoint');
    for (const theme of [THEMES.light, THEMES.dark, THEMES['high-contrast']]) {
      if (theme.name !== 'light') await switchTheme(wb, theme, frame);
      await panelShots(wb, frame, `renderers-inputs-${theme.name}`, 'fieldset.field-group', 2);
    }
  });

  it('3. all-outputs (normal): all 39 cards present and showing their value; no CSP violation but styles', async () => {
    const wb = opened();
    const frame = await openTool(wb, 'All outputs', 'mode');
    outputs = frame;
    await watchCsp(frame);
    await installPerfProbe(frame);
    await clickRun(frame);
    const status = await waitFinished(frame);
    assert.match(status, /^Finished/, status);
    await wb.page.waitForTimeout(1000); // charts and maps draw after the cards exist
    normalPerf = await inFrame<PerfResult>(frame, 'window.__pixiePerf');
    assert.equal(outputKeys.length, 39);
    const violations = await cspViolations(frame);
    const styles = violations.filter((v) => v.startsWith('style-src'));
    if (styles.length > 0) console.log(`[renderers] CSP style violations (those styles were dropped): ${styles.slice(0, 10).join(' | ')}`);
    assert.deepEqual(
      { cards: await cardProblems(frame, outputKeys), csp: violations.filter((v) => !v.startsWith('style-src')) },
      { cards: [], csp: [] },
      'cards that do not show their value, and CSP violations other than styles',
    );
  });

  it('4. screenshots of the all-outputs panel in the high-contrast, dark and light themes', async () => {
    const wb = opened();
    const frame = outputsFrame();
    const problems: string[] = [];
    for (const theme of [THEMES['high-contrast'], THEMES.dark, THEMES.light]) {
      // Step 2 left the workbench in high contrast (unless it failed early).
      const already = await inFrame<boolean>(frame, `document.body.classList.contains(${JSON.stringify(theme.webviewClass)})`);
      if (!already) await switchTheme(wb, theme, frame);
      const files = await panelShots(wb, frame, `renderers-outputs-${theme.name}`, 'section.output-card[data-output-key]', 3);
      assert.ok(files.length >= 5, `${files.length} screenshots of the outputs`);
      problems.push(...(await cardProblems(frame, outputKeys)).map((p) => `${theme.name}: ${p}`));
    }
    assert.deepEqual(problems, [], 'cards after each theme change');
  });

  it('5. xss mode: no payload runs in the real webview', async () => {
    const wb = opened();
    const frame = outputsFrame();
    await inFrame(frame, 'delete window.__pixieXss');
    await watchCsp(frame);
    await chooseMode(frame, 1);
    await clickRun(frame);
    const status = await waitFinished(frame);
    assert.match(status, /^Finished/, status);
    await wb.page.waitForTimeout(1500);
    // Hover over everything so tooltips open, and click what opens popups and details (not buttons: Open/Reveal
    // would take the editor away from the panel; not links: they would navigate).
    await inFrame(frame, `(() => {
      const CLICK = '.leaflet-interactive, .leaflet-marker-icon, summary, canvas, svg *';
      for (const el of document.querySelectorAll('.outputs-pane *')) {
        if (el.closest('a, button, vscode-button')) continue;
        const types = el.matches(CLICK) ? ['mouseover', 'mousemove', 'click'] : ['mouseover', 'mousemove'];
        for (const type of types) el.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true, clientX: 20, clientY: 20 }));
      }
    })()`);
    // Real clicks on a shape of each labelled map open its popup (built from the hostile labels).
    for (const key of ['map_points', 'map_polygons', 'map_choropleth']) {
      await frame
        .locator(`section.output-card[data-output-key="${key}"] .leaflet-interactive`)
        .first()
        .click({ timeout: 5_000, force: true })
        .catch((error: unknown) => console.log(`[renderers] could not click a ${key} shape: ${String(error).split('\n')[0]}`));
    }
    await wb.page.waitForTimeout(1000);
    // Not vacuous: the hostile text is on show (as text), and the maps' popups opened.
    const shown = await inFrame<{ text: boolean; popups: number }>(frame, `({
      text: (document.querySelector('section.output-card[data-output-key="text"] .output-body')?.textContent ?? '').includes('<script>window.__pixieXss=1</script>'),
      popups: document.querySelectorAll('.leaflet-popup, .leaflet-tooltip').length,
    })`);
    console.log(`[renderers] xss run: payload shown as text: ${shown.text}; map popups/tooltips opened: ${shown.popups}`);
    assert.ok(shown.text, 'the text card shows the payload as text');
    assert.equal(await inFrame<string>(frame, 'typeof window.__pixieXss'), 'undefined', 'window.__pixieXss in the webview frame');
    assert.deepEqual(await xssProblems(frame), []);
    const scripts = (await cspViolations(frame)).filter((v) => /^(script-src|object-src|frame-src|child-src)/.test(v));
    assert.deepEqual(scripts, [], 'the CSP had to block script: hostile markup reached the DOM');
    await wb.screenshot('renderers-xss-light');
  });

  it('6. big mode: a 100,000-row table and a 100,000-point line chart paint (first paint measured against the 1 s budget)', async () => {
    const wb = opened();
    const frame = outputsFrame();
    await chooseMode(frame, 2);
    await installPerfProbe(frame);
    const clickedAt = Date.now();
    await clickRun(frame);
    const status = await waitFinished(frame, 180_000);
    const runSeconds = (Date.now() - clickedAt) / 1000;
    assert.match(status, /^Finished/, status);
    let perf: PerfResult | undefined;
    const settled = await waitUntil('the table and the chart to paint', async () => {
      perf = await inFrame<PerfResult>(frame, 'window.__pixiePerf');
      return perf.table !== null && perf.chart !== null;
    }, 20_000).then(() => true, () => false);
    perf = await inFrame<PerfResult>(frame, 'window.__pixiePerf');
    const problems = await cardProblems(frame, ['table', 'chart_line']);
    const result = {
      measuredAt: new Date().toISOString(),
      budgetMs: PERF_BUDGET_MS,
      tableFirstPaintMs: perf.table === null ? null : Math.round(perf.table),
      chartFirstPaintMs: perf.chart === null ? null : Math.round(perf.chart),
      tableRowsInFirstPage: perf.tableRows,
      tableStatus: perf.tableStatus,
      chartMarker: perf.chartMarker,
      chartCardRenderMs: perf.chartRenderMs,
      cardsBuiltMs: perf.domReady === null ? null : Math.round(perf.domReady),
      longTasks: perf.longTasks,
      normalRun: normalPerf
        ? {
            tableFirstPaintMs: normalPerf.table === null ? null : Math.round(normalPerf.table),
            chartFirstPaintMs: normalPerf.chart === null ? null : Math.round(normalPerf.chart),
            cardsBuiltMs: normalPerf.domReady === null ? null : Math.round(normalPerf.domReady),
            longTasks: normalPerf.longTasks,
          }
        : null,
      clickToFinishedSeconds: Number(runSeconds.toFixed(1)),
      inlineOutputMaxBytes: INLINE_MAX ? Number(INLINE_MAX) : 'default',
      webviewBundleBytes: bundleSizes(),
      problems,
      from: 'the runFinished message arriving in the webview (capture listener) to requestAnimationFrame+setTimeout after the element is ready; cardsBuiltMs = to the end of the app’s synchronous handling of it; longTasks.startMs < 0 = a task that began before the message was dispatched (receiving it)',
    };
    fs.mkdirSync(RESULTS, { recursive: true });
    fs.writeFileSync(path.join(RESULTS, 'renderers-perf.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(`[renderers] perf: ${JSON.stringify(result)}`);
    for (const key of ['table', 'chart_line']) {
      await inFrame(frame, `document.querySelector('section.output-card[data-output-key="${key}"]')?.scrollIntoView({ block: 'start' })`);
      await wb.page.waitForTimeout(300);
      await wb.screenshot(`renderers-big-${key}-light`);
    }
    assert.deepEqual(problems, [], INLINE_MAX ? 'the big table and chart are shown' : 'the big table and chart are shown (with the default settings the host sends spilled values over 512 KB as file references: see INLINE_MAX above)');
    assert.ok(settled, `the table and the chart did not both paint within 20 s of the run finishing: ${JSON.stringify(perf)}`);
    assert.match(perf.tableStatus, /100[,. ]?000/, 'the table knows it has 100,000 rows');
    assert.ok(result.tableFirstPaintMs !== null && result.chartFirstPaintMs !== null, 'both first paints were measured');
    // A measurement, not a timed test (the project's rule: timings depend on the machine's load); the verdict is printed
    // and kept in test-results/renderers-perf.json for the closing note.
    const verdict = (ms: number): string => (ms < PERF_BUDGET_MS ? 'within' : 'OVER');
    console.log(
      `[renderers] first paint: table ${result.tableFirstPaintMs} ms (${verdict(result.tableFirstPaintMs)} the ${PERF_BUDGET_MS} ms budget), ` +
        `chart ${result.chartFirstPaintMs} ms (${verdict(result.chartFirstPaintMs)} the budget)`,
    );
  });
});
