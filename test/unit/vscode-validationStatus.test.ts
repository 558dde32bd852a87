import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { insertValidationReport } from '../../src/core/store/repositories/validationReports';
import { initSchema } from '../../src/core/store/schema';
import { CHECK_NAMES, type CheckResult, type ValidationReport } from '../../src/core/validator/types';
import { ValidationState } from '../../src/vscode/decorations/validationState';
import { countValidation, statusText, statusTooltip } from '../../src/vscode/statusBar/validationSummary';
import { noReportMarkdown, rawReportMarkdown, reportToMarkdown } from '../../src/vscode/commands/reportMarkdown';
import { createMemoryStore, type MemoryStore } from '../helpers/memoryStore';

function report(toolId: string, timestamp: string, failing?: { name: (typeof CHECK_NAMES)[number]; message: string }): ValidationReport {
  return {
    tool_id: toolId, tool_path: `/w/tools/${toolId}`, timestamp, overall: failing ? 'fail' : 'pass', runtime: 'node',
    checks: CHECK_NAMES.map((name): CheckResult => {
      const failed = failing?.name === name;
      return { name, status: failed ? 'fail' : 'pass', message: failed ? failing.message : 'ok', details: failed ? { stderr: 'line ```1```' } : {} };
    }),
    stopped_at: failing?.name ?? null, skip_reason: null, sample_inputs: { text: 'x' }, sample_output: { text: 'x' },
    spawn_log: 'Listening\n``` fence ```', warnings: [], durations_ms: { folder_structure: 3 }, duration_ms: 1234, discovery_hash: 'h1', reference_only: false,
  };
}

describe('validation state (latest report per tool)', () => {
  let store: MemoryStore;
  beforeEach(async () => {
    store = await createMemoryStore();
    await initSchema(store);
  });
  afterEach(() => store.close());

  const save = (r: ValidationReport): Promise<void> =>
    store.write((q) => insertValidationReport(q, { toolId: r.tool_id, timestamp: r.timestamp, overall: r.overall, reportJson: JSON.stringify(r) }));

  it('keeps the newest report per tool and tells which tools changed', async () => {
    const state = new ValidationState(store);
    const changes: string[][] = [];
    state.onDidChange((ids) => changes.push([...ids]));
    state.reload();
    assert.deepEqual(changes, []);
    await save(report('echo', '2025-01-01T00:00:00.000Z'));
    await save(report('slow', '2025-01-01T00:00:00.000Z', { name: 'tool_spawns', message: 'exited with code 1' }));
    state.reload();
    assert.deepEqual(changes, [['echo', 'slow']]);
    assert.equal(state.get('slow')?.overall, 'fail');
    assert.equal(state.get('slow')?.note, 'tool_spawns: exited with code 1');
    assert.equal(state.get('echo')?.discoveryHash, 'h1');
    state.reload();
    assert.equal(changes.length, 1, 'nothing new: no event');
    await save(report('echo', '2025-01-02T00:00:00.000Z', { name: 'sample_run_succeeds', message: 'POST /run answered 500' }));
    state.reload();
    assert.deepEqual(changes[1], ['echo']);
    assert.equal(state.get('echo')?.overall, 'fail');
  });

  it('reads a report it cannot parse (the original’s) for its overall only', async () => {
    await store.write((q) => insertValidationReport(q, { toolId: 'old', timestamp: '2024-06-01T00:00:00.000Z', overall: 'warn', reportJson: '{"checks": "not ours"}' }));
    const state = new ValidationState(store);
    state.reload();
    assert.deepEqual({ ...state.get('old') }, { toolId: 'old', overall: 'warn', timestamp: '2024-06-01T00:00:00.000Z', note: null, discoveryHash: null });
  });
});

describe('status bar summary', () => {
  it('counts pass/warn/fail, unchecked separately, and lists failing tools', () => {
    const counts = countValidation([
      { toolId: 'a', name: 'A', overall: 'pass', note: null },
      { toolId: 'b', name: 'B', overall: 'fail', note: 'tool_spawns: exited' },
      { toolId: 'c', name: 'C', overall: 'warn', note: 'streaming_check: slow' },
      { toolId: 'd', name: 'D', overall: undefined, note: null },
    ]);
    assert.equal(statusText(counts), '$(shield) 1 ✓ 1 ⚠ 1 ✗ · 1 unchecked');
    assert.equal(statusText(counts, '2/4'), '$(sync~spin) 1 ✓ 1 ⚠ 1 ✗ · 1 unchecked · 2/4');
    const tooltip = statusTooltip(counts);
    assert.match(tooltip, /\*\*Failing:\*\*\n- B — tool\\_spawns: exited/);
    assert.match(tooltip, /\*\*Warnings:\*\*\n- C/);
    assert.deepEqual(counts.failing.map((t) => t.toolId), ['b']);
  });

  it('shows "unchecked" counts until any report exists, and "no tools" when empty', () => {
    assert.equal(statusText(countValidation([{ toolId: 'a', name: 'A', overall: undefined, note: null }])), '$(shield) 1 unchecked');
    assert.equal(statusText(countValidation([])), '$(shield) no tools');
    assert.match(statusTooltip(countValidation([])), /Click to validate all tools/);
  });
});

describe('validation report as Markdown', () => {
  it('lists every check, details of failing ones, and stderr in a fence that cannot be closed early', () => {
    const md = reportToMarkdown(report('echo', '2025-01-01T00:00:00.000Z', { name: 'tool_spawns', message: 'exited | code 1' }), 'Echo');
    assert.match(md, /^# Validation report: Echo/);
    for (const name of CHECK_NAMES) assert.ok(md.includes(`\`${name}\``), name);
    assert.match(md, /exited \\\| code 1/, 'pipes escaped inside the table');
    assert.match(md, /Stopped at:\*\* `tool_spawns`/);
    assert.match(md, /````json\n\{\n {2}"stderr": "line ```1```"\n\}\n````/);
    assert.match(md, /````\nListening\n``` fence ```\n````/);
  });

  it('falls back to the stored JSON, or says the tool is unchecked', () => {
    assert.match(rawReportMarkdown('old', 'warn', '2024', '{"a":1}'), /"a": 1/);
    assert.match(rawReportMarkdown('old', 'warn', '2024', 'not json'), /not json/);
    assert.match(noReportMarkdown('x'), /not been validated yet/);
  });
});
