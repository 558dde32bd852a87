import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { initSchema } from '../../src/core/store/schema';
import { insertValidationReport } from '../../src/core/store/repositories/validationReports';
import {
  CHECK_NAMES,
  latestReport,
  latestReports,
  failureNotice,
  oneLine,
  overallOf,
  parseReport,
  reportHistory,
  saveReport,
  summariseReport,
  validateTool,
  type CheckStatus,
  type ValidationReport,
} from '../../src/core/validator';
import { createTestStore, type TestStore } from '../helpers/testStore';

function report(toolId: string, timestamp: string, statuses: Partial<Record<string, CheckStatus>> = {}): ValidationReport {
  const checks = CHECK_NAMES.map((name) => ({ name, status: statuses[name] ?? ('pass' as CheckStatus), message: `${name} message`, details: { n: 1 } }));
  return {
    tool_id: toolId, tool_path: `/tools/${toolId}`, timestamp, overall: overallOf(checks), runtime: 'node', checks, stopped_at: null, skip_reason: null,
    sample_inputs: { text: 'hi' }, sample_output: { echo: 'hi' }, spawn_log: 'log', warnings: [], durations_ms: { folder_structure: 1 }, duration_ms: 10,
    discovery_hash: 'abc', reference_only: false,
  };
}

describe('overall and summary', () => {
  it('fail dominates, then warn; skipped checks count as passed', () => {
    assert.equal(overallOf([{ status: 'pass' }, { status: 'warn' }, { status: 'fail' }]), 'fail');
    assert.equal(overallOf([{ status: 'pass' }, { status: 'warn' }, { status: 'skip' }]), 'warn');
    assert.equal(overallOf([{ status: 'pass' }, { status: 'skip' }]), 'pass');
    assert.equal(overallOf([]), 'pass');
  });

  it('summarises counts and keeps only the checks that need attention', () => {
    const r = report('t', '2026-01-01T00:00:00.000Z', { project_file_ok: 'warn', sample_run_succeeds: 'fail', output_conforms: 'skip' });
    const s = summariseReport(r);
    assert.deepEqual(s.counts, { pass: 9, warn: 1, fail: 1, skip: 1 });
    assert.deepEqual(s.notable_checks.map((c) => c.name), ['project_file_ok', 'sample_run_succeeds']);
    assert.equal(s.overall, 'fail');
    assert.equal(oneLine(r), 't: fail — sample_run_succeeds: sample_run_succeeds message');
    assert.match(failureNotice(r) ?? '', /^t failed its last validation \(2026-01-01T00:00:00\.000Z\) at sample_run_succeeds/);
    assert.equal(failureNotice(report('t', '2026-01-01T00:00:00.000Z', { clean_shutdown: 'warn' })), undefined);
    assert.equal(failureNotice(undefined), undefined);
  });

  it('parses only reports of our shape', () => {
    const r = report('t', '2026-01-01T00:00:00.000Z');
    assert.deepEqual(parseReport(JSON.stringify(r)), r);
    assert.equal(parseReport('{'), undefined);
    assert.equal(parseReport(JSON.stringify({ tool_id: 't', timestamp: 'x', checks: [{ name: 'pyproject_ok', status: 'pass' }] })), undefined);
  });
});

describe('reports in the store', () => {
  let ts: TestStore;
  beforeEach(async () => {
    ts = await createTestStore();
    await initSchema(ts.store);
  });
  afterEach(() => ts.cleanup());

  it('saves reports, reads the latest per tool and the history newest first', async () => {
    await saveReport(ts.store, report('a', '2026-01-01T00:00:00.000Z'));
    await saveReport(ts.store, report('a', '2026-01-02T00:00:00.000Z', { clean_shutdown: 'warn' }));
    await saveReport(ts.store, report('b', '2026-01-01T12:00:00.000Z', { tool_spawns: 'fail' }));
    assert.equal(latestReport(ts.store, 'a')?.overall, 'warn');
    assert.equal(latestReport(ts.store, 'nope'), undefined);
    assert.deepEqual(reportHistory(ts.store, 'a').map((r) => r.timestamp), ['2026-01-02T00:00:00.000Z', '2026-01-01T00:00:00.000Z']);
    const all = latestReports(ts.store);
    assert.deepEqual([...all.keys()].sort(), ['a', 'b']);
    assert.equal(all.get('b')?.overall, 'fail');
    const row = ts.store.read((q) => q.get<{ overall: string; report_json: string }>("SELECT overall, report_json FROM validation_reports WHERE tool_id = 'b'"));
    assert.equal(row?.overall, 'fail');
    assert.equal(JSON.parse(row?.report_json ?? '{}').checks.length, 12);
  });

  it('prunes reports older than 30 days when saving, but never the latest', async () => {
    await saveReport(ts.store, report('a', '2026-01-01T00:00:00.000Z'));
    await saveReport(ts.store, report('old-only', '2025-01-01T00:00:00.000Z'));
    await saveReport(ts.store, report('a', '2026-03-01T00:00:00.000Z'));
    assert.deepEqual(reportHistory(ts.store, 'a').map((r) => r.timestamp), ['2026-03-01T00:00:00.000Z']);
    assert.equal(latestReport(ts.store, 'old-only')?.timestamp, '2025-01-01T00:00:00.000Z');
  });

  it('ignores stored reports that are not ours when reading', async () => {
    await ts.store.write((q) => insertValidationReport(q, { toolId: 'x', timestamp: '2026-01-01T00:00:00.000Z', overall: 'pass', reportJson: '{"tool_id":"x"}' }));
    assert.equal(latestReport(ts.store, 'x'), undefined);
    assert.equal(latestReports(ts.store).has('x'), false);
  });

  it('stores skip reports (untrusted, archived) with the reason', async () => {
    const skipped = await validateTool({ dir: '/nonexistent/tool-x', toolId: 'tool-x' }, { trusted: false });
    assert.equal(skipped.overall, 'skip');
    assert.match(skipped.skip_reason ?? '', /not trusted/);
    assert.ok(skipped.checks.every((c) => c.status === 'skip' && /not trusted/.test(c.message)));
    await saveReport(ts.store, skipped);
    assert.equal(latestReport(ts.store, 'tool-x')?.overall, 'skip');
    const archived = await validateTool({ dir: '/nonexistent/tool-y' }, { archived: true });
    assert.equal(archived.tool_id, 'tool-y');
    assert.match(archived.skip_reason ?? '', /archived/);
  });
});
