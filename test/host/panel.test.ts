// The tool panel in the real extension host: the echo tool's panel loads the webview bundle (it says `ready` and gets
// `init`), a run through the panel's request handler leaves its row and posts the outputs, a replay equals what the
// run showed, history follows other writers, artefacts open only from inside the artefacts root, Restricted Mode
// refuses, tool.json edits reach the panel, and the serializer restores a panel with its run.
// The suite builds its own services (store, catalog, launcher, run service) on a temp db and a copy of the workspace's
// tools, so it does not depend on how the extension wires them.
import { AutocompleteService } from '../../src/core/runner/autocomplete';
import { DiffDocuments } from '../../src/vscode/panels/diffDocuments';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { resolveConfig, type PixieConfig } from '../../src/core/config';
import { Launcher } from '../../src/core/runner/launcher';
import { RunService } from '../../src/core/runner/runService';
import { SqlJsStore } from '../../src/core/store/engine';
import { openStore } from '../../src/core/store/open';
import { insertArtefact } from '../../src/core/store/repositories/artefacts';
import { finishRun, getRun, insertStartedRun } from '../../src/core/store/repositories/runs';
import { initSchema } from '../../src/core/store/schema';
import { ToolCatalog } from '../../src/core/tools/catalog';
import type { ErrorMessage, HostToWebview, InitMessage, NotificationMessage, NotificationTypes, ResponseMessage, RunView } from '../../src/protocol';
import { RESTRICTED_MESSAGE, ToolPanelRegistry, ToolPanelSerializer, VIEW_TYPE, type ToolPanel } from '../../src/vscode/panels';
import { EXTENSION_ID } from './extension.test';

async function waitFor(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Everything a panel posts to its webview from now on. */
class Recorder {
  readonly messages: HostToWebview[] = [];
  private readonly subscription: vscode.Disposable;

  constructor(panel: ToolPanel) {
    this.subscription = panel.onDidPost((message) => this.messages.push(message));
  }

  async next<T extends HostToWebview>(match: (m: HostToWebview) => m is T, what: string, timeoutMs = 20_000): Promise<T> {
    let found: T | undefined;
    await waitFor(() => (found = this.messages.find(match)) !== undefined, what, timeoutMs);
    return found as T;
  }

  notification<M extends keyof NotificationTypes>(method: M, what: string, test: (p: NotificationTypes[M]) => boolean = () => true): Promise<Extract<NotificationMessage, { method: M }>> {
    return this.next(
      (m): m is Extract<NotificationMessage, { method: M }> => m.kind === 'notification' && m.method === method && test(m.params as NotificationTypes[M]),
      what,
    );
  }

  reply(id: number): Promise<ResponseMessage | ErrorMessage> {
    return this.next((m): m is ResponseMessage | ErrorMessage => (m.kind === 'response' || m.kind === 'error') && m.id === id, `the reply to request ${id}`);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

let nextId = 9000;
async function request(panel: ToolPanel, recorder: Recorder, method: string, params: unknown): Promise<ResponseMessage | ErrorMessage> {
  const id = ++nextId;
  await panel.handleMessage({ kind: 'request', id, method, params });
  return recorder.reply(id);
}

function isInit(m: HostToWebview): m is InitMessage {
  return m.kind === 'init';
}

export function declarePanelSuite(): void {
  suite('Pixie tool panel', function () {
    this.timeout(60_000);
    let tmp: string;
    let config: PixieConfig;
    let store: SqlJsStore;
    let catalog: ToolCatalog;
    let launcher: Launcher;
    let registry: ToolPanelRegistry;
    let log: vscode.LogOutputChannel;
    let trusted = true;
    let panel: ToolPanel;
    let finishedRun: RunView;

    suiteSetup(async () => {
      const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      assert.ok(root, 'a folder is open');
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-panel-'));
      // A copy of the workspace's tools, so this suite can edit tool.json without touching other suites' tools.
      fs.cpSync(path.join(root, 'tools'), path.join(tmp, 'tools'), { recursive: true });
      config = resolveConfig(root, { dbPath: path.join(tmp, 'pixie.db'), artefactsRoot: path.join(tmp, 'artefacts'), toolsDir: path.join(tmp, 'tools') });
      store = await openStore({ dbPath: config.dbPath, busyTimeoutMs: config.busyTimeoutMs, watch: true, pollIntervalMs: 200 });
      await initSchema(store);
      catalog = new ToolCatalog(config.toolsDir, store);
      await catalog.refresh();
      assert.ok(catalog.get('echo')?.spec, 'the workspace has a runnable echo tool');
      launcher = new Launcher({ artefactsRoot: config.artefactsRoot });
      const runService = new RunService({ store, launcher, config, executionBlockedReason: () => (trusted ? undefined : 'the folder is not trusted') });
      log = vscode.window.createOutputChannel('Pixie panel tests', { log: true });
      const extension = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(extension);
      const blockedReason = () => (trusted ? undefined : 'the folder is not trusted');
      const autocomplete = new AutocompleteService({ store, launcher, config, blockedReason });
      registry = new ToolPanelRegistry({ store, catalog, runService, config: () => config, log, extensionUri: extension.extensionUri, isTrusted: () => trusted, autocomplete, diffs: new DiffDocuments(undefined, 'pixie-diff-panel-test') });
    });

    suiteTeardown(async () => {
      registry?.dispose();
      await launcher?.dispose();
      await store?.close();
      log?.dispose();
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    test('opening the echo panel loads the bundled webview: it says ready and gets init', async () => {
      panel = registry.openTool('echo');
      const recorder = new Recorder(panel);
      try {
        assert.equal(registry.openTool('echo'), panel, 'one panel per tool: opening again reveals it');
        assert.equal(panel.panel.viewType, VIEW_TYPE);
        assert.equal(panel.panel.title, 'Echo');
        assert.match(panel.panel.webview.html, /default-src 'none'/);
        assert.match(panel.panel.webview.html, /script-src 'nonce-[A-Za-z0-9]+'/);
        const init = await recorder.next(isInit, 'init after the webview loaded (ready handshake)');
        assert.equal(init.tool.toolId, 'echo');
        assert.equal(init.tool.spec?.name, 'Echo');
        assert.deepEqual(init.tool.problems, []);
        assert.deepEqual(init.history, { runs: [], next: null });
        assert.equal(init.validation.state, 'unchecked');
        assert.deepEqual(init.trust, { trusted: true, message: null });
        assert.equal(init.prefill, null);
        assert.equal(init.activeRun, null);
      } finally {
        recorder.dispose();
      }
    });

    test('a run through the panel request handler: the row, then runStarted → runFinished with the outputs', async () => {
      const recorder = new Recorder(panel);
      try {
        const reply = await request(panel, recorder, 'runTool', { inputs: { text: 'hello from the panel' } });
        assert.equal(reply.kind, 'response', JSON.stringify(reply));
        const { runId } = (reply as ResponseMessage).result as { runId: string };
        await recorder.notification('runStarted', 'runStarted', (p) => p.runId === runId);
        const finished = await recorder.notification('runFinished', 'runFinished', (p) => p.run.id === runId);
        finishedRun = finished.params.run;
        assert.equal(finishedRun.status, 'ok', finishedRun.error ?? '');
        assert.equal(finishedRun.outputs?.echo, 'hello from the panel');
        const seen = finishedRun.outputs?.request as Record<string, unknown>;
        assert.equal(seen.run_id, runId, 'the tool saw the run id');
        assert.equal(finishedRun.inputs.text, 'hello from the panel');
        const started = recorder.messages.findIndex((m) => m.kind === 'notification' && m.method === 'runStarted');
        const done = recorder.messages.findIndex((m) => m.kind === 'notification' && m.method === 'runFinished');
        assert.ok(started < done, 'started before finished');

        const row = store.read((q) => getRun(q, runId));
        assert.ok(row);
        assert.equal(row.status, 'ok');
        assert.equal(row.toolId, 'echo');
        assert.equal((JSON.parse(row.inputsJson) as { inputs: { text: string } }).inputs.text, 'hello from the panel');
        assert.equal((JSON.parse(row.outputsJson ?? '{}') as { echo: string }).echo, 'hello from the panel');
        await recorder.notification('historyChanged', 'history refreshed after the run', (p) => p.history.runs.some((r) => r.id === runId));
      } finally {
        recorder.dispose();
      }
    });

    test('invalid inputs: an error reply with per-field messages, and no run row', async () => {
      const recorder = new Recorder(panel);
      try {
        const before = store.read((q) => q.get<{ n: number }>('SELECT COUNT(*) AS n FROM runs')?.n);
        const reply = await request(panel, recorder, 'runTool', { inputs: { text: 5, no_such_input: 1 } });
        assert.equal(reply.kind, 'error');
        const error = reply as ErrorMessage;
        assert.ok(error.fieldErrors?.text, JSON.stringify(error));
        assert.match(error.fieldErrors?.no_such_input ?? '', /not an input/);
        const malformed = await request(panel, recorder, 'runTool', { inputs: 'text=x' });
        assert.deepEqual(malformed.kind === 'error' && malformed.message, 'invalid parameters for runTool');
        assert.equal(store.read((q) => q.get<{ n: number }>('SELECT COUNT(*) AS n FROM runs')?.n), before);
      } finally {
        recorder.dispose();
      }
    });

    test('loadRun replays the stored run exactly as the finished run was shown; listRuns pages the history', async () => {
      const recorder = new Recorder(panel);
      try {
        const reply = await request(panel, recorder, 'loadRun', { runId: finishedRun.id });
        assert.equal(reply.kind, 'response');
        assert.deepEqual((reply as ResponseMessage).result, finishedRun);
        const page = await request(panel, recorder, 'listRuns', {});
        const history = (page as ResponseMessage).result as { runs: { id: string; summary: string; status: string }[]; next: unknown };
        assert.equal(history.runs[0].id, finishedRun.id);
        assert.equal(history.runs[0].summary, 'text: hello from the panel');
        assert.equal(history.next, null);
        const missing = await request(panel, recorder, 'loadRun', { runId: 'no-such-run' });
        assert.equal(missing.kind, 'error');
      } finally {
        recorder.dispose();
      }
    });

    test('openRun and editAndRerun reveal the panel and ask it to show the run', async () => {
      const recorder = new Recorder(panel);
      try {
        assert.equal(await registry.openRun(finishedRun.id), panel);
        const shown = await recorder.notification('showRun', 'showRun (replay)', (p) => p.intent === 'replay');
        assert.equal(shown.params.run.id, finishedRun.id);
        await registry.editAndRerun(finishedRun.id);
        await recorder.notification('showRun', 'showRun (edit)', (p) => p.intent === 'edit');
        await assert.rejects(registry.openRun('no-such-run'), /not in the history/);
      } finally {
        recorder.dispose();
      }
    });

    test('rerun: a past run\'s inputs run again in its panel, shown live there', async () => {
      const recorder = new Recorder(panel);
      try {
        const { panel: used, runId } = await registry.rerun(finishedRun.id);
        assert.equal(used, panel);
        assert.notEqual(runId, finishedRun.id);
        const finished = await recorder.notification('runFinished', 'the re-run finished', (p) => p.run.id === runId);
        assert.equal(finished.params.run.status, 'ok');
        assert.deepEqual(finished.params.run.inputs, finishedRun.inputs);
        assert.equal(finished.params.run.outputs?.echo, 'hello from the panel');
      } finally {
        recorder.dispose();
      }
    });

    test("history follows another window's commit to pixie.db", async () => {
      const recorder = new Recorder(panel);
      const other = await SqlJsStore.open({ dbPath: config.dbPath, watch: false });
      try {
        const startedAt = new Date(Date.now() + 1000).toISOString();
        await other.write((q) => {
          insertStartedRun(q, { id: 'from-another-window', toolId: 'echo', startedAt, inputsJson: JSON.stringify({ run_id: 'from-another-window', inputs: { text: 'elsewhere' } }) });
          finishRun(q, 'from-another-window', { status: 'ok', finishedAt: startedAt, outputsJson: JSON.stringify({ echo: 'elsewhere' }) });
        });
        const changed = await recorder.notification('historyChanged', "the other window's run", (p) => p.history.runs[0]?.id === 'from-another-window');
        assert.equal(changed.params.history.runs[0].summary, 'text: elsewhere');
      } finally {
        await other.close();
        recorder.dispose();
      }
    });

    test('artefacts: opened in an editor tab from inside the artefacts root only, and only for this tool', async () => {
      const recorder = new Recorder(panel);
      try {
        const runDir = path.join(config.artefactsRoot, 'echo', finishedRun.id);
        fs.mkdirSync(runDir, { recursive: true });
        fs.writeFileSync(path.join(runDir, 'note.txt'), 'a note\n');
        fs.writeFileSync(path.join(tmp, 'outside.txt'), 'secret\n');
        fs.symlinkSync(path.join(tmp, 'outside.txt'), path.join(runDir, 'link.txt'));
        const now = new Date().toISOString();
        const ids = await store.write((q) => {
          const base = { runId: finishedRun.id, toolId: 'echo', mime: 'text/plain', sizeBytes: 7, sha256: 'x'.repeat(64), createdAt: now };
          const note = insertArtefact(q, { ...base, outputKey: 'note.txt', relPath: `echo/${finishedRun.id}/note.txt`, filename: 'note.txt' });
          const link = insertArtefact(q, { ...base, outputKey: 'link.txt', relPath: `echo/${finishedRun.id}/link.txt`, filename: 'link.txt' });
          // A crafted row (as a hand-edited db could hold): the repository would refuse it, so it goes in raw.
          q.run(
            `INSERT INTO artefacts(run_id, tool_id, output_key, rel_path, filename, mime, size_bytes, sha256, created_at, starred)
             VALUES(?, 'echo', 'evil', '../outside.txt', 'outside.txt', 'text/plain', 7, ?, ?, 0)`,
            [finishedRun.id, 'y'.repeat(64), now],
          );
          const crafted = q.get<{ id: number }>("SELECT id FROM artefacts WHERE output_key = 'evil'")?.id ?? -1;
          return { note, link, crafted };
        });
        const opened = await request(panel, recorder, 'openArtefact', { id: ids.note });
        assert.equal(opened.kind, 'response', JSON.stringify(opened));
        await waitFor(() => vscode.window.activeTextEditor?.document.uri.fsPath === path.join(runDir, 'note.txt'), 'note.txt in an editor tab');

        for (const id of [ids.link, ids.crafted]) {
          const refused = await request(panel, recorder, 'openArtefact', { id });
          assert.equal(refused.kind, 'error', `artefact ${id} is refused`);
          assert.match((refused as ErrorMessage).message, /refusing artefact path|symlink|outside/);
        }
        const foreign = await request(panel, recorder, 'openArtefact', { id: 999_999 });
        assert.match((foreign as ErrorMessage).message, /No file 999999 belongs to this tool's runs/);

        const replay = await request(panel, recorder, 'loadRun', { runId: finishedRun.id });
        const artefacts = ((replay as ResponseMessage).result as RunView).artefacts;
        const note = artefacts.find((a) => a.filename === 'note.txt');
        assert.match(note?.uri ?? '', /note\.txt$/, 'a webview URI for the file inside the root');
        assert.notEqual(note?.uri?.startsWith('file:'), true, 'never a file: URI');
        assert.equal(artefacts.find((a) => a.filename === 'link.txt')?.uri, null, 'no URI through a symlink');
        assert.equal(artefacts.find((a) => a.filename === 'outside.txt')?.uri, null, 'no URI outside the root');
        const external = await request(panel, recorder, 'openExternal', { url: 'file:///etc/passwd' });
        assert.match((external as ErrorMessage).message, /Only http and https/);
      } finally {
        // Close note.txt (the active editor, beside the panel) and go back to one editor group with the panel in it.
        if (vscode.window.activeTextEditor?.document.uri.fsPath.endsWith('note.txt')) await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
        await vscode.commands.executeCommand('workbench.action.joinAllGroups');
        recorder.dispose();
      }
    });

    test('Restricted Mode: the panel is told, and the host refuses to run (no row written)', async () => {
      const recorder = new Recorder(panel);
      try {
        trusted = false;
        registry.refreshTrust();
        const changed = await recorder.notification('trustChanged', 'trustChanged');
        assert.deepEqual(changed.params.trust, { trusted: false, message: RESTRICTED_MESSAGE });
        const before = store.read((q) => q.get<{ n: number }>('SELECT COUNT(*) AS n FROM runs')?.n);
        const refused = await request(panel, recorder, 'runTool', { inputs: { text: 'x' } });
        assert.equal(refused.kind, 'error');
        assert.equal((refused as ErrorMessage).message, RESTRICTED_MESSAGE);
        assert.equal(store.read((q) => q.get<{ n: number }>('SELECT COUNT(*) AS n FROM runs')?.n), before);
      } finally {
        trusted = true;
        registry.refreshTrust();
        recorder.dispose();
      }
    });

    test('editing tool.json reaches the open panel (toolChanged, new title)', async () => {
      const recorder = new Recorder(panel);
      const file = path.join(config.toolsDir, 'echo', 'tool.json');
      const original = fs.readFileSync(file, 'utf8');
      try {
        const json = JSON.parse(original) as { name: string };
        json.name = 'Echo (edited)';
        fs.writeFileSync(file, JSON.stringify(json, null, 2));
        await catalog.refresh();
        const changed = await recorder.notification('toolChanged', 'toolChanged');
        assert.equal(changed.params.tool.spec?.name, 'Echo (edited)');
        assert.equal(panel.panel.title, 'Echo (edited)');
      } finally {
        fs.writeFileSync(file, original);
        await catalog.refresh();
        recorder.dispose();
      }
    });

    test('the serializer restores a panel with its tool and run; state it cannot use closes the panel', async () => {
      panel.dispose();
      assert.equal(registry.get('echo'), undefined, 'a closed panel leaves the registry');
      const serializer = new ToolPanelSerializer(registry, log);
      const restoredWebview = vscode.window.createWebviewPanel(VIEW_TYPE, 'Echo', vscode.ViewColumn.One, { enableScripts: true });
      await serializer.deserializeWebviewPanel(restoredWebview, { toolId: 'echo', runId: finishedRun.id });
      const restored = registry.get('echo');
      assert.ok(restored);
      const recorder = new Recorder(restored);
      try {
        // Late in this suite the web workbench (code-server, headless) takes ~30 s to load a newly created webview;
        // the first panels load in about a second. Hence the long wait.
        const init = await recorder.next(isInit, 'init of the restored panel', 45_000);
        assert.equal(init.show?.run.id, finishedRun.id);
        assert.equal(init.show?.intent, 'replay');
        assert.equal(init.show?.run.outputs?.echo, 'hello from the panel');
        assert.equal(init.prefill?.text, 'hello from the panel', 'the form starts from the last inputs');
      } finally {
        recorder.dispose();
      }
      const junk = vscode.window.createWebviewPanel(VIEW_TYPE, 'Junk', vscode.ViewColumn.One, {});
      let closed = false;
      junk.onDidDispose(() => (closed = true));
      await serializer.deserializeWebviewPanel(junk, { tool: 'echo' });
      assert.equal(closed, true);
    });
  });
}
