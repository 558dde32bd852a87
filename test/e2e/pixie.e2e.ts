// UI smoke test on the packaged extension: install dist/pixie.vsix into a fresh code-server, open
// the host-test workspace (it has tools/echo/tool.json, so Pixie activates), run "Pixie: Show Log"
// from the palette and check the Output panel shows the Pixie channel; screenshots in both themes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Workbench } from './driver';
import { REPO_ROOT } from './harness-lib';

const VSIX = path.resolve(process.env.PIXIE_VSIX ?? path.join(REPO_ROOT, 'dist', 'pixie.vsix'));
const WORKSPACE = path.join(REPO_ROOT, 'test', 'host', 'workspace');

describe('Pixie in the real workbench (packaged .vsix)', { timeout: 240_000 }, () => {
  let workbench: Workbench | undefined;
  const opened = (): Workbench => {
    assert.ok(workbench, 'the workbench did not start');
    return workbench;
  };

  before(async () => {
    assert.ok(fs.existsSync(VSIX), `${VSIX} is missing: run \`npm run package\` first`);
    workbench = await Workbench.open({ workspace: WORKSPACE, installExtensions: [VSIX], theme: 'light' });
  });

  after(async () => {
    await workbench?.close();
  });

  it('"Pixie: Show Log" opens the Output panel on the Pixie channel', async () => {
    const wb = opened();
    await wb.runCommand('Pixie: Show Log');
    assert.equal(await wb.activeOutputChannel(), 'Pixie');
  });

  it('the Pixie channel is a log channel that the extension wrote to', async () => {
    const wb = opened();
    // A LogOutputChannel prefixes each line with a timestamp and a [level] tag.
    const lines = wb.panel().locator('.view-lines', { hasText: /\[(info|debug|trace|warning|error)\]/ }).first();
    await lines.waitFor({ state: 'visible', timeout: 30_000 });
  });

  it('screenshots of the Pixie log in the light and the dark theme', async () => {
    const wb = opened();
    const light = await wb.screenshot('e2e-show-log-light');
    await wb.setTheme('dark');
    assert.equal(await wb.activeOutputChannel(), 'Pixie', 'the channel survives a theme change');
    const dark = await wb.screenshot('e2e-show-log-dark');
    for (const file of [light, dark]) assert.ok(fs.statSync(file).size > 10_000, `${file} holds a picture`);
  });
});
