// The palette sweep's texts: the plan document (totals, runs with inputs, refused paths, notes, escaping, the cap on
// listed runs), the confirm label, progress and result lines.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SweepPlan, SweepResult } from '../../src/core/sweeper/types';
import {
  confirmLabel,
  criteriaLine,
  escapeMarkdown,
  isEmptyPlan,
  planMarkdown,
  progressMessage,
  resultMessage,
  totalsLine,
} from '../../src/vscode/commands/sweepReport';

function plan(overrides: Partial<SweepPlan> = {}): SweepPlan {
  return {
    kind: 'manual',
    createdAt: '2026-05-01T10:00:00.000Z',
    criteria: { olderThan: { cutoff: '2026-04-01T10:00:00.000Z', seconds: 30 * 86_400 }, housekeeping: true },
    runs: [
      { id: 'r1', toolId: 'echo', startedAt: '2026-03-01T09:00:00.000Z', status: 'ok', reason: 'older-than', artefactCount: 2 },
      { id: 'r2', toolId: 'img|tool', startedAt: '2026-03-02T09:00:00.000Z', status: 'error', reason: 'older-than', artefactCount: 0 },
    ],
    artefacts: [
      { id: 1, runId: 'r1', toolId: 'echo', relPath: 'echo/r1/a.png', sizeBytes: 1_000_000, reason: 'run' },
      { id: 2, runId: 'r1', toolId: 'echo', relPath: 'echo/r1/b.png', sizeBytes: 572_864, reason: 'run' },
      { id: 9, runId: 'r0', toolId: 'echo', relPath: 'echo/r0/c.png', sizeBytes: 10, reason: 'soft-delete-expired' },
    ],
    files: [
      { relPath: 'echo/r1/a.png', base: 'artefacts', bytes: 1_000_000, reason: 'last-row' },
      { relPath: 'echo/r1/b.png', base: 'artefacts', bytes: 572_864, reason: 'last-row' },
      { relPath: 'echo/old/x.partial', base: 'artefacts', bytes: 0, reason: 'partial' },
    ],
    validationReports: [],
    refused: [{ relPath: '../../etc/passwd', artefactId: 7, reason: 'leaves the artefacts root' }],
    notes: ['tool broken skipped: tool.json unreadable'],
    totals: { runs: 2, artefacts: 3, files: 3, validationReports: 0, bytes: 1_572_864 },
    ...overrides,
  };
}

describe('planMarkdown', () => {
  it('shows the criteria, totals in human units, each run with its inputs, refused paths and notes', () => {
    const md = planMarkdown(plan(), { details: new Map([['r1', { inputs: 'text: hello' }]]) });
    assert.match(md, /^# Pixie sweep — dry run/);
    assert.match(md, /Runs older than 30 days, all tools\. .*Nothing has been deleted\./);
    assert.match(md, /\| Runs \| 2 \|/);
    assert.match(md, /\| Artefacts \| 3 \|/);
    assert.match(md, /\| \*\*Reclaimed\*\* \| \*\*1\.5 MB\*\* \|/);
    assert.match(md, /\| echo \| 2026-03-01T09:00:00\.000Z \| ok \| 2 \| text: hello \|/);
    assert.match(md, /\| img\\\|tool \| .* \| error \| 0 \| {2}\|/, 'a pipe in a tool id does not break the table');
    assert.match(md, /1 deleted artefact past the restore period/);
    assert.match(md, /## Stale files[\s\S]*`echo\/old\/x\.partial` \(partial\)/);
    assert.doesNotMatch(md, /`echo\/r1\/a\.png`/, 'files that go with a run are not listed as stale');
    assert.match(md, /## Refused paths[\s\S]*`\.\.\/\.\.\/etc\/passwd`: leaves the artefacts root/);
    assert.match(md, /## Notes\n\n- tool broken skipped: tool\.json unreadable/);
  });

  it('says there is nothing to sweep for an empty plan, with no empty sections', () => {
    const empty = plan({
      runs: [],
      artefacts: [],
      files: [],
      refused: [],
      notes: [],
      criteria: { olderThan: { cutoff: 'x', seconds: 90 * 86_400 }, toolId: 'echo' },
      totals: { runs: 0, artefacts: 0, files: 0, validationReports: 0, bytes: 0 },
    });
    const md = planMarkdown(empty);
    assert.equal(isEmptyPlan(empty), true);
    assert.match(md, /Runs older than 90 days, tool echo/);
    assert.match(md, /Nothing to sweep/);
    assert.match(md, /\*\*0 B\*\*/);
    for (const section of ['## Runs', '## Refused', '## Notes', '## Stale']) assert.equal(md.includes(section), false, section);
  });

  it('lists at most maxRuns runs and counts the rest', () => {
    const runs = Array.from({ length: 7 }, (_, i) => ({ id: `r${i}`, toolId: 'echo', startedAt: 't', status: 'ok', reason: 'older-than' as const, artefactCount: 0 }));
    const md = planMarkdown(plan({ runs }), { maxRuns: 3 });
    assert.equal(md.split('\n').filter((line) => line.startsWith('| echo |')).length, 3);
    assert.match(md, /…and 4 more runs\./);
  });

  it('escapes Markdown in user text (inputs cannot inject links or headings)', () => {
    const md = planMarkdown(plan(), { details: new Map([['r1', { inputs: '[click](http://x)\n# boom' }]]) });
    assert.match(md, /\\\[click\\\]\\\(http:\/\/x\\\) \\# boom/);
    assert.equal(escapeMarkdown('a*b_c'), 'a\\*b\\_c');
  });
});

describe('labels and messages', () => {
  it('confirm label names what goes with bytes', () => {
    assert.equal(confirmLabel(plan()), 'Delete 2 runs (1.5 MB)');
    const one = plan({ totals: { runs: 1, artefacts: 0, files: 0, validationReports: 0, bytes: 0 } });
    assert.equal(confirmLabel(one), 'Delete 1 run (0 B)');
    assert.equal(confirmLabel(plan({ totals: { runs: 0, artefacts: 0, files: 4, validationReports: 0, bytes: 2048 } })), 'Delete 4 stale files (2 KB)');
    assert.equal(confirmLabel(plan({ totals: { runs: 0, artefacts: 2, files: 2, validationReports: 0, bytes: 2048 } })), 'Delete 2 artefacts (2 KB)');
  });

  it('totals, criteria and progress lines', () => {
    assert.equal(totalsLine({ runs: 1, artefacts: 2, files: 1, validationReports: 3, bytes: 512 }), '1 run, 2 artefacts, 1 file, 3 validation reports — 512 B');
    assert.equal(criteriaLine(plan({ criteria: { olderThan: { cutoff: 'x', seconds: 3600 }, toolId: 'echo' } })), 'Runs older than 1 hour, tool echo');
    assert.equal(progressMessage({ phase: 'runs', done: 40, total: 120, bytesFreed: 12 * 1024 * 1024 }), 'Deleting runs 40/120 · 12 MB freed');
  });

  it('result message: done, cancelled, skipped and failed entries', () => {
    const base: SweepResult = {
      kind: 'manual',
      criteria: {},
      startedAt: 'a',
      finishedAt: 'b',
      dryRun: false,
      cancelled: false,
      runs: [],
      artefacts: [],
      files: [],
      validationReports: [],
      refused: [],
      skipped: [],
      recovered: [],
      failed: [],
      notes: [],
      totals: { runs: 3, artefacts: 1, files: 1, validationReports: 0, bytes: 2048 },
    };
    assert.equal(resultMessage(base), 'Sweep done: removed 3 runs, 1 artefact, 1 file, reclaiming 2 KB.');
    const partial = resultMessage({ ...base, cancelled: true, skipped: [{ id: 'r1', reason: 'starred' }], failed: [{ id: 'x', reason: 'EPERM' }, { id: 'y', reason: 'EPERM' }] });
    assert.match(partial, /^Sweep cancelled; before it stopped it removed 3 runs/);
    assert.match(partial, /1 entry changed since the plan and were kept\./);
    assert.match(partial, /2 files could not be deleted \(see the log\)\./);
  });
});
