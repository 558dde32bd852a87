// validateAll on real tools and a real store: validate_jobs counters and per-tool details, reports saved,
// a second request joining the batch (in this process and across processes), cancel, abandoned jobs.
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { initSchema } from '../../src/core/store/schema';
import { getValidateJob, runningValidateJobs, startValidateJob, updateValidateJob } from '../../src/core/store/repositories/validateJobs';
import { latestReport, validateAll, type ValidateAllProgress, type ValidateAllTool } from '../../src/core/validator';
import { createTestStore, type TestStore } from '../helpers/testStore';
import { killLeftovers, MARKER_ENV, newMarker, pidsWithMarker, waitFor } from '../helpers/toolProcesses';

const CORPUS = path.resolve(__dirname, '..', 'fixtures', 'broken-tools');
const marker = newMarker();
const validate = { extraEnv: { [MARKER_ENV]: marker }, timeouts: { healthMs: 15_000, shutdownGraceMs: 1000 } };
const corpusTool = (name: string, archived = false): ValidateAllTool => ({ dir: path.join(CORPUS, name), toolId: name, discoveryHash: `hash-${name}`, archived });

let ts: TestStore;
beforeEach(async () => {
  ts = await createTestStore();
  await initSchema(ts.store);
});
afterEach(() => ts.cleanup());
after(async () => {
  const gone = await waitFor(() => pidsWithMarker(marker).length === 0, 3000);
  assert.ok(gone, `processes left behind: ${killLeftovers(marker).join(', ')}`);
});

describe('validateAll', () => {
  it('validates every tool, counts pass/warn/fail, records per-tool details and saves each report', async () => {
    const progress: ValidateAllProgress[] = [];
    const tools = [corpusTool('good-node'), corpusTool('sample-run-500'), corpusTool('extra-output-key'), corpusTool('missing-tool-json'), corpusTool('good-streaming', true)];
    const result = await validateAll({ store: ts.store, tools, validate, concurrency: 2, onProgress: (p) => progress.push(p) });
    assert.equal(result.join, 'started');
    assert.equal(result.status, 'done');
    assert.deepEqual([result.total, result.completed, result.passed, result.warned, result.failed], [4, 4, 1, 1, 2]);
    const byTool = new Map(result.tools.map((t) => [t.tool_id, t]));
    assert.equal(byTool.get('good-node')?.overall, 'pass');
    assert.equal(byTool.get('extra-output-key')?.overall, 'warn');
    assert.match(byTool.get('sample-run-500')?.message ?? '', /^sample_run_succeeds: .*answered 500/);
    assert.match(byTool.get('missing-tool-json')?.message ?? '', /^folder_structure: tool\.json is missing/);
    assert.equal(byTool.get('good-streaming')?.overall, 'skip', 'archived tools are listed, not validated');

    const row = ts.store.read((q) => getValidateJob(q, result.jobId));
    assert.equal(row?.status, 'done');
    assert.ok(row?.finishedAt);
    assert.deepEqual([row?.total, row?.completed, row?.passed, row?.warned, row?.failed], [4, 4, 1, 1, 2]);
    const details = JSON.parse(row?.detailsJson ?? '{}') as { tools: unknown[]; running: string[]; owner: { pid: number } };
    assert.equal(details.tools.length, 5);
    assert.deepEqual(details.running, []);
    assert.equal(details.owner.pid, process.pid);

    assert.equal(latestReport(ts.store, 'good-node')?.overall, 'pass');
    assert.equal(latestReport(ts.store, 'missing-tool-json')?.overall, 'fail');
    assert.equal(latestReport(ts.store, 'good-streaming'), undefined);
    // Progress counts only go up and end at the total; never more than two tools at once.
    const done = progress.map((p) => p.completed);
    assert.deepEqual(done, [...done].sort((a, b) => a - b));
    assert.equal(done.at(-1), 4);
    assert.ok(progress.every((p) => p.running.length <= 2));
    assert.equal(pidsWithMarker(marker).length, 0);
  });

  it('in an untrusted workspace every tool is skipped (completed, neither passed nor failed), nothing is spawned', async () => {
    const result = await validateAll({ store: ts.store, tools: [corpusTool('good-node'), corpusTool('sample-run-500')], validate: { ...validate, trusted: false } });
    assert.deepEqual([result.status, result.total, result.completed, result.passed, result.warned, result.failed], ['done', 2, 2, 0, 0, 0]);
    assert.ok(result.tools.every((t) => t.overall === 'skip' && /not trusted/.test(t.message)));
    assert.equal(latestReport(ts.store, 'good-node')?.overall, 'skip');
  });

  it('a second request while a batch runs joins it instead of starting another', async () => {
    const tools = [corpusTool('good-streaming'), corpusTool('extra-output-key')];
    const first = validateAll({ store: ts.store, tools, validate });
    const second = validateAll({ store: ts.store, tools: [corpusTool('good-node')], validate });
    const [a, b] = await Promise.all([first, second]);
    assert.equal(a.jobId, b.jobId);
    assert.equal(a.join, 'started');
    assert.equal(b.join, 'joined-in-process');
    assert.equal(b.total, 2, 'the joiner gets the running batch, not its own list');
    assert.equal(ts.store.read((q) => q.all('SELECT id FROM validate_jobs')).length, 1);
    // Once it has finished, the next request starts a new batch.
    const c = await validateAll({ store: ts.store, tools: [corpusTool('missing-tool-json')], validate });
    assert.notEqual(c.jobId, a.jobId);
    assert.equal(c.join, 'started');
  });

  it('cancels: no new tool starts, the running one is stopped, the job ends "cancelled"', async () => {
    const controller = new AbortController();
    const tools = ['good-node', 'good-streaming', 'extra-output-key', 'sample-run-500', 'ignores-sigterm'].map((n) => corpusTool(n));
    const result = await validateAll({
      store: ts.store,
      tools,
      validate,
      concurrency: 1,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.completed === 1) controller.abort();
      },
    });
    assert.equal(result.status, 'cancelled');
    assert.equal(result.completed, 1);
    assert.equal(result.total, 5);
    const row = ts.store.read((q) => getValidateJob(q, result.jobId));
    assert.equal(row?.status, 'cancelled');
    assert.ok(row?.finishedAt);
    assert.equal(pidsWithMarker(marker).length, 0);
  });

  it('joins a batch another process is running (fresh heartbeat) and returns when it ends', async () => {
    const now = new Date();
    await ts.store.write((q) => {
      startValidateJob(q, 'other-job', 3, now.toISOString());
      updateValidateJob(q, 'other-job', { completed: 1, passed: 1, detailsJson: JSON.stringify({ heartbeat_at: now.toISOString(), owner: { pid: 1, host: 'another-machine' }, running: ['x'], tools: [] }) });
    });
    const seen: number[] = [];
    const following = validateAll({ store: ts.store, tools: [corpusTool('good-node')], validate, pollMs: 30, onProgress: (p) => seen.push(p.completed) });
    await new Promise((r) => setTimeout(r, 150));
    await ts.store.write((q) => updateValidateJob(q, 'other-job', { status: 'done', completed: 3, passed: 2, failed: 1, finishedAt: new Date().toISOString() }));
    const result = await following;
    assert.equal(result.join, 'joined-other-process');
    assert.equal(result.jobId, 'other-job');
    assert.deepEqual([result.status, result.completed, result.passed, result.failed], ['done', 3, 2, 1]);
    assert.ok(seen.includes(1));
    assert.equal(latestReport(ts.store, 'good-node'), undefined, 'it did not validate anything itself');
  });

  it('closes an abandoned job (stale heartbeat or dead owner) and starts a new batch', async () => {
    const old = new Date(Date.now() - 10 * 60_000).toISOString();
    await ts.store.write((q) => {
      startValidateJob(q, 'stale-job', 3, old);
      updateValidateJob(q, 'stale-job', { detailsJson: JSON.stringify({ heartbeat_at: old, owner: { pid: 1, host: 'elsewhere' }, running: [], tools: [] }) });
      startValidateJob(q, 'dead-owner', 3, new Date().toISOString());
      updateValidateJob(q, 'dead-owner', { detailsJson: JSON.stringify({ heartbeat_at: new Date().toISOString(), owner: { pid: 2 ** 22 + 12345, host: os.hostname() }, running: [], tools: [] }) });
    });
    const result = await validateAll({ store: ts.store, tools: [corpusTool('missing-tool-json')], validate });
    assert.equal(result.join, 'started');
    assert.notEqual(result.jobId, 'stale-job');
    for (const id of ['stale-job', 'dead-owner']) {
      const row = ts.store.read((q) => getValidateJob(q, id));
      assert.equal(row?.status, 'error', id);
      assert.match(row?.detailsJson ?? '', /abandoned/);
    }
    assert.deepEqual(ts.store.read(runningValidateJobs), []);
  });
});
