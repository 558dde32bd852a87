import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  InvalidValueError,
  NotFoundError,
  bumpToolRunCounters,
  createRepositories,
  finishRun,
  getRunMetaJson,
  getToolState,
  insertStartedRun,
  insertArtefact,
  listRunListRows,
  listRuns,
  parseArtefactTags,
  runCursorOf,
  summariseInputs,
  type NewArtefact,
  type Repositories,
  type RunRecord,
} from '../../src/core/store/repositories';
import { initSchema } from '../../src/core/store/schema';
import type { StoreChange } from '../../src/core/store/types';
import { isoAt } from '../helpers/isoAt';
import { createTestStore, type TestStore } from '../helpers/testStore';

const envelope = (runId: string, inputs: Record<string, unknown>) => JSON.stringify({ run_id: runId, inputs });

function artefact(runId: string, name: string, extra: Partial<NewArtefact> = {}): NewArtefact {
  return {
    runId,
    toolId: 'img',
    outputKey: 'chart',
    relPath: `img/2025-01-01/${runId}/${name}`,
    filename: name,
    mime: 'image/png',
    sizeBytes: 10,
    sha256: `sha-${runId}-${name}`,
    createdAt: isoAt(10),
    ...extra,
  };
}

describe('runs repository', () => {
  let ts: TestStore;
  let repos: Repositories;
  beforeEach(async () => {
    ts = await createTestStore();
    await initSchema(ts.store);
    repos = createRepositories(ts.store);
  });
  afterEach(async () => {
    await ts.cleanup();
  });

  it('inserts a running run and finishes it once; a late finish cannot overwrite the final status', async () => {
    await repos.runs.insertStarted({ id: 'r1', toolId: 'echo', startedAt: isoAt(0), inputsJson: envelope('r1', { text: 'hi' }) });
    const started = repos.runs.get('r1');
    assert.deepEqual(started, {
      id: 'r1', toolId: 'echo', startedAt: isoAt(0), finishedAt: null, inputsJson: envelope('r1', { text: 'hi' }),
      outputsJson: null, errorText: null, status: 'running', starred: false, label: null, totalArtefactBytes: 0, metaJson: null,
    });
    assert.equal(
      await repos.runs.finish('r1', { status: 'cancelled', finishedAt: isoAt(2), errorText: 'cancelled by user' }),
      true,
    );
    assert.equal(await repos.runs.finish('r1', { status: 'ok', finishedAt: isoAt(3), outputsJson: '{"a":1}' }), false);
    const run = repos.runs.get('r1');
    assert.equal(run?.status, 'cancelled');
    assert.equal(run?.finishedAt, isoAt(2));
    assert.equal(run?.outputsJson, null);
    assert.equal(run?.errorText, 'cancelled by user');
  });

  it('finish records outputs, meta and artefact bytes; error runs keep error text', async () => {
    await repos.runs.insertStarted({ id: 'ok', toolId: 't', startedAt: isoAt(0), inputsJson: '{}' });
    await repos.runs.insertStarted({ id: 'bad', toolId: 't', startedAt: isoAt(1), inputsJson: '{}' });
    await repos.runs.finish('ok', {
      status: 'ok', finishedAt: isoAt(5), outputsJson: null, metaJson: '{"outputs_oversize":true}', totalArtefactBytes: 70_000,
    });
    await repos.runs.finish('bad', { status: 'error', finishedAt: isoAt(6), errorText: 'ValueError: boom' });
    assert.deepEqual(
      [repos.runs.get('ok')?.metaJson, repos.runs.get('ok')?.totalArtefactBytes, repos.runs.get('ok')?.status],
      ['{"outputs_oversize":true}', 70_000, 'ok'],
    );
    assert.equal(repos.runs.get('bad')?.errorText, 'ValueError: boom');
    assert.equal(repos.runs.get('bad')?.status, 'error');
  });

  it('inserts the meta with the row when given (one statement); getRunMetaJson reads just that column', async () => {
    await ts.store.write((q) =>
      insertStartedRun(q, { id: 'm1', toolId: 't', startedAt: isoAt(0), inputsJson: '{}', metaJson: '{"owner":{"pid":1}}' }),
    );
    await repos.runs.insertStarted({ id: 'm2', toolId: 't', startedAt: isoAt(1), inputsJson: '{}' });
    assert.equal(repos.runs.get('m1')?.metaJson, '{"owner":{"pid":1}}');
    assert.equal(repos.runs.get('m1')?.status, 'running');
    assert.deepEqual(ts.store.read((q) => getRunMetaJson(q, 'm1')), { metaJson: '{"owner":{"pid":1}}' });
    assert.deepEqual(ts.store.read((q) => getRunMetaJson(q, 'm2')), { metaJson: null });
    assert.equal(ts.store.read((q) => getRunMetaJson(q, 'missing')), undefined);
    await assert.rejects(
      ts.store.write((q) => insertStartedRun(q, { id: 'm3', toolId: 't', startedAt: isoAt(2), inputsJson: '{}', metaJson: '{oops' })),
      InvalidValueError,
    );
    assert.equal(repos.runs.get('m3'), undefined);
  });

  it('rejects bad input: duplicate id, invalid inputs JSON, a finish status of running, unknown ids', async () => {
    await repos.runs.insertStarted({ id: 'r1', toolId: 't', startedAt: isoAt(0), inputsJson: '{}' });
    await assert.rejects(repos.runs.insertStarted({ id: 'r1', toolId: 't', startedAt: isoAt(1), inputsJson: '{}' }), /UNIQUE/);
    await assert.rejects(
      repos.runs.insertStarted({ id: 'r2', toolId: 't', startedAt: isoAt(1), inputsJson: '{not json' }),
      InvalidValueError,
    );
    await assert.rejects(repos.runs.insertStarted({ id: '', toolId: 't', startedAt: isoAt(1), inputsJson: '{}' }), InvalidValueError);
    await assert.rejects(
      ts.store.write((q) => finishRun(q, 'r1', { status: 'running' as 'ok', finishedAt: isoAt(2) })),
      InvalidValueError,
    );
    await assert.rejects(repos.runs.finish('r1', { status: 'ok', finishedAt: isoAt(2), totalArtefactBytes: -1 }), InvalidValueError);
    assert.equal(repos.runs.get('missing'), undefined);
    assert.equal(await repos.runs.finish('missing', { status: 'ok', finishedAt: isoAt(2) }), false);
    assert.equal(await repos.runs.setStarred('missing', true), false);
    assert.equal(await repos.runs.setLabel('missing', 'x'), false);
    assert.equal(await repos.runs.addArtefactBytes('missing', 5), false);
    await assert.rejects(repos.runs.addArtefactBytes('r1', 1.5), InvalidValueError);
    assert.deepEqual(await repos.runs.delete('missing'), { deleted: false, artefacts: [] });
    assert.equal(repos.runs.count(), 1);
  });

  it('stars, labels (blank or null clears) and adds artefact bytes', async () => {
    await repos.runs.insertStarted({ id: 'r1', toolId: 't', startedAt: isoAt(0), inputsJson: '{}' });
    assert.equal(await repos.runs.setStarred('r1', true), true);
    assert.equal(await repos.runs.setLabel('r1', '  baseline  '), true);
    await repos.runs.addArtefactBytes('r1', 10);
    await repos.runs.addArtefactBytes('r1', 5);
    let run = repos.runs.get('r1');
    assert.deepEqual([run?.starred, run?.label, run?.totalArtefactBytes], [true, 'baseline', 15]);
    await repos.runs.setLabel('r1', '   ');
    assert.equal(repos.runs.get('r1')?.label, null);
    await repos.runs.setLabel('r1', 'x');
    await repos.runs.setLabel('r1', null);
    await repos.runs.setStarred('r1', false);
    run = repos.runs.get('r1');
    assert.deepEqual([run?.starred, run?.label], [false, null]);
  });

  it('lists newest first with filters and count', async () => {
    const specs: Array<[string, string, number, 'ok' | 'error' | null, string]> = [
      ['a1', 'alpha', 0, 'ok', 'cat picture'],
      ['a2', 'alpha', 10, 'error', 'dog 100%'],
      ['b1', 'beta', 5, 'ok', 'Cat video'],
      ['b2', 'beta', 20, null, 'under_score'],
    ];
    for (const [id, toolId, at, status, text] of specs) {
      await repos.runs.insertStarted({ id, toolId, startedAt: isoAt(at), inputsJson: envelope(id, { text }) });
      if (status) await repos.runs.finish(id, { status, finishedAt: isoAt(at + 1) });
    }
    await repos.runs.setStarred('b1', true);
    const ids = (runs: RunRecord[]) => runs.map((r) => r.id);
    assert.deepEqual(ids(repos.runs.list()), ['b2', 'a2', 'b1', 'a1']);
    assert.deepEqual(ids(repos.runs.list({ toolId: 'alpha' })), ['a2', 'a1']);
    assert.deepEqual(ids(repos.runs.list({ status: 'ok' })), ['b1', 'a1']);
    assert.deepEqual(ids(repos.runs.list({ starredOnly: true })), ['b1']);
    assert.deepEqual(ids(repos.runs.list({ search: 'cat' })), ['b1', 'a1'], 'case-insensitive');
    assert.deepEqual(ids(repos.runs.list({ search: '100%' })), ['a2'], '% is literal');
    assert.deepEqual(ids(repos.runs.list({ search: 'd_g' })), [], '_ is literal');
    assert.deepEqual(ids(repos.runs.list({ search: 'r_s' })), ['b2']);
    assert.deepEqual(ids(repos.runs.list({ toolId: 'beta', search: 'cat' })), ['b1']);
    assert.deepEqual(ids(repos.runs.list({ limit: 2 })), ['b2', 'a2']);
    assert.equal(repos.runs.count(), 4);
    assert.equal(repos.runs.count({ toolId: 'beta' }), 2);
    assert.equal(repos.runs.count({ search: 'cat', status: 'ok' }), 2);
    assert.deepEqual(ids(repos.runs.listRunning()), ['b2']);
    assert.throws(() => repos.runs.list({ limit: 0 }), InvalidValueError);
  });

  it('listRunListRows: the rows, order, filters and paging of listRuns, without outputs and meta', async () => {
    for (const [i, status] of (['ok', 'error', 'ok', null] as const).entries()) {
      const id = `L${i}`;
      await repos.runs.insertStarted({ id, toolId: i % 2 ? 'beta' : 'alpha', startedAt: isoAt(i), inputsJson: envelope(id, { text: `t${i}` }) });
      if (status) await repos.runs.finish(id, { status, finishedAt: isoAt(i + 1), outputsJson: '{"big":"' + 'x'.repeat(5000) + '"}', metaJson: '{"m":1}', errorText: status === 'error' ? 'boom' : null });
    }
    await repos.runs.setStarred('L2', true);
    await repos.runs.setLabel('L2', 'keep');
    const list = (options: Parameters<typeof listRuns>[1]) => ts.store.read((q) => listRunListRows(q, options));
    const full = (options: Parameters<typeof listRuns>[1]) => ts.store.read((q) => listRuns(q, options));
    for (const options of [{}, { toolId: 'alpha' }, { status: 'ok' as const }, { starredOnly: true }, { search: 't3' }, { limit: 2 }, { after: runCursorOf({ id: 'L2', startedAt: isoAt(2) }) }]) {
      const expected = full(options).map(({ outputsJson: _o, metaJson: _m, totalArtefactBytes: _b, ...rest }) => rest);
      assert.deepEqual(list(options), expected, JSON.stringify(options));
    }
    const [l2] = list({ starredOnly: true });
    assert.deepEqual(l2, { id: 'L2', toolId: 'alpha', startedAt: isoAt(2), finishedAt: isoAt(3), inputsJson: envelope('L2', { text: 't2' }), errorText: null, status: 'ok', starred: true, label: 'keep' });
    assert.equal('outputsJson' in l2, false);
    assert.throws(() => list({ limit: 0 }), InvalidValueError);
  });

  it('keyset pagination walks 10k+ runs (ties on started_at broken by id) quickly and through the index', async () => {
    const total = 10_500;
    // Three runs share each second so the id tie-breaker matters.
    await ts.store.write((q) =>
      q.run(
        `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
         INSERT INTO runs(id, tool_id, started_at, inputs_json, status, outputs_json)
         SELECT printf('run-%05d', i), 'tool-' || (i % 7), strftime('%Y-%m-%dT%H:%M:%fZ', 1735689600 + i / 3, 'unixepoch'),
                '{"run_id":"' || printf('run-%05d', i) || '","inputs":{"n":' || i || '}}', 'ok', '{"value":' || i || '}'
         FROM n`,
        [total - 1],
      ),
    );
    assert.equal(repos.runs.count(), total);
    const seen: string[] = [];
    const pageTimes: number[] = [];
    let cursor: ReturnType<typeof runCursorOf> | undefined;
    for (;;) {
      const started = process.hrtime.bigint();
      const page = repos.runs.list({ limit: 200, after: cursor });
      pageTimes.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (page.length === 0) break;
      seen.push(...page.map((r) => r.id));
      cursor = runCursorOf(page[page.length - 1]!);
    }
    const expected = Array.from({ length: total }, (_, i) => `run-${String(total - 1 - i).padStart(5, '0')}`);
    assert.equal(seen.length, total);
    assert.deepEqual(seen, expected);
    pageTimes.sort((a, b) => a - b);
    const median = pageTimes[Math.floor(pageTimes.length / 2)]!;
    assert.ok(median < 50, `median page time ${median.toFixed(1)} ms`);
    const plan = ts.store.read((q) =>
      q.all<{ detail: string }>(
        `EXPLAIN QUERY PLAN SELECT id FROM runs WHERE tool_id = ? AND started_at <= ? AND (started_at < ? OR id < ?)
         ORDER BY started_at DESC, id DESC LIMIT 50`,
        ['tool-1', isoAt(100), isoAt(100), 'run-1'],
      ),
    );
    assert.ok(plan.some((p) => p.detail.includes('USING INDEX idx_runs_tool')), JSON.stringify(plan));
    // Filtered pages continue correctly too.
    const first = repos.runs.list({ toolId: 'tool-3', limit: 3 });
    const next = repos.runs.list({ toolId: 'tool-3', limit: 3, after: runCursorOf(first[2]!) });
    const both = repos.runs.list({ toolId: 'tool-3', limit: 6 });
    assert.deepEqual([...first, ...next].map((r) => r.id), both.map((r) => r.id));
  });

  it('deletes a run with its artefact rows in one transaction and returns the rows (files are the sweeper’s)', async () => {
    await repos.runs.insertStarted({ id: 'r1', toolId: 'img', startedAt: isoAt(0), inputsJson: '{}' });
    await repos.runs.insertStarted({ id: 'r2', toolId: 'img', startedAt: isoAt(1), inputsJson: '{}' });
    await repos.artefacts.insert(artefact('r1', 'a.png'));
    await repos.artefacts.insert(artefact('r1', 'b.png'));
    await repos.artefacts.insert(artefact('r2', 'c.png'));
    const result = await repos.runs.delete('r1');
    assert.equal(result.deleted, true);
    assert.deepEqual(result.artefacts.map((a) => a.filename), ['a.png', 'b.png']);
    assert.equal(repos.runs.get('r1'), undefined);
    assert.deepEqual(repos.artefacts.list().map((a) => a.filename), ['c.png']);
  });

  it('recentByTool gives history rows with the original’s one-line input summary', async () => {
    await repos.runs.insertStarted({
      id: 'r1', toolId: 'echo', startedAt: isoAt(0), inputsJson: envelope('r1', { empty: '', none: null, list: [], text: 'x'.repeat(80) }),
    });
    await repos.runs.insertStarted({ id: 'r2', toolId: 'echo', startedAt: isoAt(1), inputsJson: envelope('r2', { n: 3 }) });
    await repos.runs.insertStarted({ id: 'r3', toolId: 'other', startedAt: isoAt(2), inputsJson: '{}' });
    const recent = repos.runs.recentByTool('echo', 10);
    assert.deepEqual(recent.map((r) => [r.id, r.summary]), [
      ['r2', 'n: 3'],
      ['r1', `text: ${'x'.repeat(60)}…`],
    ]);
    assert.equal(recent[0]?.status, 'running');
  });

  it('summariseInputs handles envelopes, bare objects, bad JSON and exact-length values', () => {
    assert.equal(summariseInputs('{"inputs":{"a":"","b":{"c":1}}}'), 'b: {"c":1}');
    assert.equal(summariseInputs('{"prompt":"hello\\nworld"}'), 'prompt: hello world');
    assert.equal(summariseInputs(`{"p":"${'y'.repeat(60)}"}`), `p: ${'y'.repeat(60)}`);
    assert.equal(summariseInputs('{"inputs":{"flag":false}}'), 'flag: false');
    assert.equal(summariseInputs('not json'), '');
    assert.equal(summariseInputs(null), '');
    assert.equal(summariseInputs('[1,2]'), '');
    assert.equal(summariseInputs('{"inputs":{}}'), '');
  });

  it('prune candidates skip starred, labelled and running runs and keep the newest N of the rest', async () => {
    for (let i = 0; i < 6; i++) {
      await repos.runs.insertStarted({ id: `r${i}`, toolId: 't', startedAt: isoAt(i), inputsJson: '{}' });
      if (i !== 0) await repos.runs.finish(`r${i}`, { status: 'ok', finishedAt: isoAt(i) });
    }
    await repos.runs.setStarred('r1', true);
    await repos.runs.setLabel('r2', 'keep');
    // Unprotected finished runs, newest first: r5 r4 r3; r0 is still running.
    assert.deepEqual(repos.runs.pruneCandidates('t', 1), ['r4', 'r3']);
    assert.deepEqual(repos.runs.pruneCandidates('t', 0), ['r5', 'r4', 'r3']);
    assert.deepEqual(repos.runs.pruneCandidates('other', 0), []);
  });

  it('composes query functions in one transaction: finishing a run and bumping tool_state commit or roll back together', async () => {
    await repos.runs.insertStarted({ id: 'r1', toolId: 'echo', startedAt: isoAt(0), inputsJson: '{}' });
    const changes: StoreChange[] = [];
    const sub = ts.store.onDidChange((c) => changes.push(c));
    await ts.store.write((q) => {
      finishRun(q, 'r1', { status: 'ok', finishedAt: isoAt(1), outputsJson: '{}' });
      bumpToolRunCounters(q, 'echo', isoAt(1));
    });
    sub.dispose();
    assert.equal(repos.runs.get('r1')?.status, 'ok');
    assert.equal(ts.store.read((q) => getToolState(q, 'echo'))?.runCountTotal, 1);
    assert.ok(changes.some((c) => c.tables.has('runs') && c.tables.has('tool_state')), 'one change names both tables');

    await repos.runs.insertStarted({ id: 'r2', toolId: 'echo', startedAt: isoAt(2), inputsJson: '{}' });
    await assert.rejects(
      ts.store.write((q) => {
        finishRun(q, 'r2', { status: 'ok', finishedAt: isoAt(3) });
        bumpToolRunCounters(q, 'echo', isoAt(3));
        insertArtefact(q, artefact('no-such-run', 'x.png'));
      }),
      NotFoundError,
    );
    assert.equal(repos.runs.get('r2')?.status, 'running');
    assert.equal(repos.toolState.get('echo')?.runCountTotal, 1);
  });
});

describe('artefacts repository', () => {
  let ts: TestStore;
  let repos: Repositories;
  beforeEach(async () => {
    ts = await createTestStore();
    await initSchema(ts.store);
    repos = createRepositories(ts.store);
    await repos.runs.insertStarted({ id: 'r1', toolId: 'img', startedAt: isoAt(0), inputsJson: '{}' });
    await repos.runs.insertStarted({ id: 'r2', toolId: 'txt', startedAt: isoAt(1), inputsJson: '{}' });
  });
  afterEach(async () => {
    await ts.cleanup();
  });

  it('inserts and reads back a row; tags are written as JSON text', async () => {
    const id = await repos.artefacts.insert(artefact('r1', 'a.png', { tags: ['b', 'a', 'b'], label: 'hero', thumbPath: '_thumbs/ab/x.webp' }));
    assert.equal(typeof id, 'number');
    assert.deepEqual(repos.artefacts.get(id), {
      id, runId: 'r1', toolId: 'img', outputKey: 'chart', relPath: 'img/2025-01-01/r1/a.png', filename: 'a.png',
      mime: 'image/png', sizeBytes: 10, sha256: 'sha-r1-a.png', createdAt: isoAt(10), starred: false, label: 'hero',
      tags: ['b', 'a'], thumbPath: '_thumbs/ab/x.webp', deletedAt: null,
    });
    const raw = ts.store.read((q) => q.get<{ tags: string }>('SELECT tags FROM artefacts WHERE id = ?', [id]));
    assert.equal(raw?.tags, '["b","a"]');
    const second = await repos.artefacts.insert(artefact('r1', 'b.png'));
    assert.ok(second > id);
    assert.equal(ts.store.read((q) => q.get<{ tags: string | null }>('SELECT tags FROM artefacts WHERE id = ?', [second]))?.tags, null);
  });

  it('rejects bad input: unknown run, unsafe rel_path, negative size, empty tags', async () => {
    await assert.rejects(repos.artefacts.insert(artefact('nope', 'a.png')), NotFoundError);
    for (const relPath of ['../etc/passwd', '/abs/x', 'a\\b', 'a//b', 'C:/x', 'a/../b', '']) {
      await assert.rejects(repos.artefacts.insert(artefact('r1', 'a.png', { relPath })), InvalidValueError, relPath);
    }
    await assert.rejects(repos.artefacts.insert(artefact('r1', 'a.png', { sizeBytes: -1 })), InvalidValueError);
    await assert.rejects(repos.artefacts.insert(artefact('r1', 'a.png', { tags: [' '] })), InvalidValueError);
    assert.equal(repos.artefacts.list({ includeDeleted: true }).length, 0);
    assert.equal(repos.artefacts.get(12345), undefined);
    assert.equal(await repos.artefacts.setStarred(12345, true), false);
    assert.equal(await repos.artefacts.setLabel(12345, 'x'), false);
    assert.equal(await repos.artefacts.setTags(12345, ['x']), false);
    assert.equal(await repos.artefacts.softDelete(12345, isoAt(1)), false);
    assert.equal(await repos.artefacts.restore(12345), false);
    assert.equal(await repos.artefacts.deleteRow(12345), undefined);
  });

  it('reads tags in both stored forms: JSON (original code, ours) and comma-separated (seed docs)', async () => {
    const id = await repos.artefacts.insert(artefact('r1', 'a.png'));
    const legacy = await repos.artefacts.insert(artefact('r1', 'b.png'));
    await ts.store.write((q) => q.run("UPDATE artefacts SET tags = 'red, big,blue ' WHERE id = ?", [legacy]));
    await repos.artefacts.setTags(id, ['red', 'wide']);
    assert.deepEqual(repos.artefacts.get(legacy)?.tags, ['red', 'big', 'blue']);
    assert.deepEqual(repos.artefacts.list({ tag: 'red' }).map((a) => a.id).sort(), [id, legacy].sort());
    assert.deepEqual(repos.artefacts.list({ tag: 'big' }).map((a) => a.id), [legacy]);
    assert.deepEqual(repos.artefacts.list({ tag: 'wide' }).map((a) => a.id), [id]);
    assert.deepEqual(repos.artefacts.list({ tag: 're' }).map((a) => a.id), [], 'whole tags only');
    assert.deepEqual(parseArtefactTags('["a",1,"",null,"b"]'), ['a', 'b']);
    assert.deepEqual(parseArtefactTags('"solo"'), ['solo']);
    assert.deepEqual(parseArtefactTags(''), []);
    assert.deepEqual(parseArtefactTags(null), []);
    await repos.artefacts.setTags(legacy, []);
    assert.deepEqual(repos.artefacts.get(legacy)?.tags, []);
  });

  it('finds a non-ASCII tag written the Python way (escaped JSON)', async () => {
    const id = await repos.artefacts.insert(artefact('r1', 'a.png'));
    await ts.store.write((q) => q.run('UPDATE artefacts SET tags = ? WHERE id = ?', ['["caf\\u00e9"]', id]));
    assert.deepEqual(repos.artefacts.get(id)?.tags, ['café']);
    assert.deepEqual(repos.artefacts.list({ tag: 'café' }).map((a) => a.id), [id]);
  });

  it('lists newest first with every filter, limit and offset', async () => {
    const a = await repos.artefacts.insert(artefact('r1', 'a.png', { createdAt: isoAt(1), tags: ['x'] }));
    const b = await repos.artefacts.insert(
      artefact('r2', 'b.json', { toolId: 'txt', mime: 'application/json', createdAt: isoAt(2), label: 'cfg' }),
    );
    const c = await repos.artefacts.insert(artefact('r1', 'c.png', { createdAt: isoAt(3), mime: 'image/webp' }));
    const d = await repos.artefacts.insert(artefact('r1', 'd.png', { createdAt: isoAt(3) }));
    await repos.artefacts.setStarred(c, true);
    await repos.artefacts.softDelete(d, isoAt(4));
    const ids = (filter: Parameters<Repositories['artefacts']['list']>[0]) => repos.artefacts.list(filter).map((r) => r.id);
    assert.deepEqual(ids({}), [c, b, a]);
    assert.deepEqual(ids({ includeDeleted: true }), [d, c, b, a]);
    assert.deepEqual(ids({ toolId: 'img' }), [c, a]);
    assert.deepEqual(ids({ runId: 'r2' }), [b]);
    assert.deepEqual(ids({ mimePrefix: 'image/' }), [c, a]);
    assert.deepEqual(ids({ mimePrefix: 'image/_ebp' }), [], 'LIKE wildcards are escaped');
    assert.deepEqual(ids({ starred: true }), [c]);
    assert.deepEqual(ids({ starred: false }), [b, a]);
    assert.deepEqual(ids({ label: 'cfg' }), [b]);
    assert.deepEqual(ids({ tag: 'x' }), [a]);
    assert.deepEqual(ids({ limit: 1, offset: 1 }), [b]);
    assert.deepEqual(repos.artefacts.listByRun('r1').map((r) => r.id), [a, c, d]);
    assert.deepEqual(repos.artefacts.listByRun('r1', false).map((r) => r.id), [a, c]);
    assert.throws(() => repos.artefacts.list({ offset: -1 }), InvalidValueError);
  });

  it('soft delete keeps the first deletion time, restore brings it back, the purge list uses a strict cutoff', async () => {
    const a = await repos.artefacts.insert(artefact('r1', 'a.png'));
    const b = await repos.artefacts.insert(artefact('r1', 'b.png'));
    assert.equal(await repos.artefacts.softDelete(a, isoAt(100)), true);
    assert.equal(await repos.artefacts.softDelete(a, isoAt(200)), false);
    assert.equal(repos.artefacts.get(a)?.deletedAt, isoAt(100));
    await repos.artefacts.softDelete(b, isoAt(300));
    assert.deepEqual(repos.artefacts.listSoftDeletedBefore(isoAt(300)).map((r) => r.id), [a]);
    assert.deepEqual(repos.artefacts.listSoftDeletedBefore(isoAt(301)).map((r) => r.id), [a, b]);
    assert.equal(await repos.artefacts.restore(a), true);
    assert.equal(await repos.artefacts.restore(a), false);
    assert.equal(repos.artefacts.get(a)?.deletedAt, null);
    assert.deepEqual(repos.artefacts.listSoftDeletedBefore(isoAt(1000)).map((r) => r.id), [b]);
  });

  it('dedup helpers: live sha256 lookup, row count per shared file, live bytes per run', async () => {
    const first = await repos.artefacts.insert(artefact('r1', 'a.png', { sha256: 'same', sizeBytes: 10 }));
    const shared = repos.artefacts.findLiveBySha256('same');
    assert.equal(shared?.id, first);
    const copy = await repos.artefacts.insert(
      artefact('r2', 'a.png', { toolId: 'txt', sha256: 'same', relPath: shared!.relPath, sizeBytes: 10 }),
    );
    await repos.artefacts.insert(artefact('r1', 'b.png', { sizeBytes: 5 }));
    assert.equal(repos.artefacts.countRowsForRelPath(shared!.relPath), 2);
    assert.equal(repos.artefacts.sumBytesForRun('r1'), 15);
    await repos.artefacts.softDelete(first, isoAt(5));
    assert.equal(repos.artefacts.sumBytesForRun('r1'), 5);
    assert.equal(repos.artefacts.findLiveBySha256('same')?.id, copy, 'soft-deleted rows are not dedup targets');
    assert.equal(repos.artefacts.countRowsForRelPath(shared!.relPath), 2, 'soft-deleted rows still hold the file');
    const removed = await repos.artefacts.deleteRow(first);
    assert.equal(removed?.id, first);
    assert.equal(repos.artefacts.countRowsForRelPath(shared!.relPath), 1);
    await repos.artefacts.deleteRow(copy);
    assert.equal(repos.artefacts.countRowsForRelPath(shared!.relPath), 0);
    assert.equal(repos.artefacts.findLiveBySha256('same'), undefined);
    assert.equal(repos.artefacts.sumBytesForRun('none'), 0);
  });

  it('stars and labels (blank clears)', async () => {
    const a = await repos.artefacts.insert(artefact('r1', 'a.png'));
    await repos.artefacts.setStarred(a, true);
    await repos.artefacts.setLabel(a, ' best ');
    assert.deepEqual([repos.artefacts.get(a)?.starred, repos.artefacts.get(a)?.label], [true, 'best']);
    await repos.artefacts.setLabel(a, '');
    await repos.artefacts.setStarred(a, false);
    assert.deepEqual([repos.artefacts.get(a)?.starred, repos.artefacts.get(a)?.label], [false, null]);
  });
});
