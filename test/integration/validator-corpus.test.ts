// The broken-tools corpus (test/fixtures/broken-tools/<case>/expected.json): every case ends with the
// expected status at the expected check, with a message that names the problem; the good cases pass.
// Node cases run in place; Python cases that need a venv run from a temp copy whose .venv links to the
// fixture venv (built over Debian's python3-fastapi by setup-python-venvs.sh).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { validateTool, type CheckName, type CheckStatus, type Overall, type ValidatorClock } from '../../src/core/validator';
import { ensurePythonVenvs } from '../helpers/pythonTools';
import { FIXTURE_TOOLS_DIR, killLeftovers, MARKER_ENV, newMarker, pidsWithMarker, waitFor } from '../helpers/toolProcesses';

const CORPUS = path.resolve(__dirname, '..', 'fixtures', 'broken-tools');

interface Expected {
  description: string;
  overall: Overall;
  expect: { check: CheckName; status: CheckStatus; message: string }[];
  python_venv?: boolean;
  /** How long /healthz may take (default generous, so a loaded machine does not fail good tools). */
  health_ms?: number;
}

const cases = fs
  .readdirSync(CORPUS)
  .filter((name) => !name.startsWith('_') && fs.existsSync(path.join(CORPUS, name, 'expected.json')))
  .sort()
  .map((name) => ({ name, expected: JSON.parse(fs.readFileSync(path.join(CORPUS, name, 'expected.json'), 'utf8')) as Expected }));

const marker = newMarker();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-corpus-'));
let counter = 0;
const clock: ValidatorClock = { now: () => new Date(Date.UTC(2026, 0, 1)), newId: () => `run-${++counter}` };

after(async () => {
  const gone = await waitFor(() => pidsWithMarker(marker).length === 0, 3000);
  const leftovers = killLeftovers(marker);
  fs.rmSync(tmp, { recursive: true, force: true });
  assert.ok(gone, `processes left behind: ${leftovers.join(', ')}`);
});

it('has at least 30 broken tools and some good ones', () => {
  const broken = cases.filter((c) => c.expected.overall !== 'pass');
  const good = cases.filter((c) => c.expected.overall === 'pass');
  assert.ok(broken.length >= 30, `only ${broken.length} broken cases`);
  assert.ok(good.length >= 3, `only ${good.length} good cases`);
  for (const c of cases) assert.ok(c.expected.expect.length > 0, `${c.name}: expected.json lists no check`);
});

/** A copy of a Python case with .venv linked to the working fixture venv. */
function withVenv(name: string): string {
  const dir = path.join(tmp, name);
  fs.cpSync(path.join(CORPUS, name), dir, { recursive: true });
  fs.symlinkSync(path.join(FIXTURE_TOOLS_DIR, 'py-compound-interest', '.venv'), path.join(dir, '.venv'));
  return dir;
}

describe('broken-tools corpus', { concurrency: 6 }, () => {
  for (const { name, expected } of cases) {
    it(`${name}: ${expected.description}`, async (t) => {
      let dir = path.join(CORPUS, name);
      if (expected.python_venv) {
        const reason = ensurePythonVenvs();
        if (reason) {
          t.skip(reason);
          return;
        }
        dir = withVenv(name);
      }
      const python = expected.python_venv === true;
      const report = await validateTool({ dir, toolId: name }, {
        clock,
        extraEnv: { [MARKER_ENV]: marker },
        timeouts: { healthMs: expected.health_ms ?? (python ? 30_000 : 15_000), shutdownGraceMs: 1_000, referenceBudgetMs: 20_000 },
      });
      const summary = report.checks.map((c) => `${c.status.padEnd(4)} ${c.name}: ${c.message}`).join('\n');
      assert.equal(report.overall, expected.overall, `${name}: overall\n${summary}`);
      assert.equal(report.checks.length, 12);
      assert.equal(report.timestamp, '2026-01-01T00:00:00.000Z');
      for (const e of expected.expect) {
        const check = report.checks.find((c) => c.name === e.check);
        assert.ok(check, `${name}: no ${e.check} in the report`);
        assert.equal(check.status, e.status, `${name}: ${e.check} is ${check.status}: ${check.message}\n${summary}`);
        assert.ok(check.message.includes(e.message), `${name}: ${e.check} message should mention ${JSON.stringify(e.message)}:\n  ${check.message}`);
      }
      // A stopping failure names itself; everything after it (but clean_shutdown) says why it did not run.
      if (report.stopped_at) {
        const index = report.checks.findIndex((c) => c.name === report.stopped_at);
        assert.equal(report.checks[index].details.stops_chain, true);
        for (const later of report.checks.slice(index + 1)) {
          if (later.name === 'clean_shutdown' && later.status !== 'skip') continue;
          assert.equal(later.status, 'skip', `${name}: ${later.name} should be skipped after ${report.stopped_at}`);
          assert.ok(later.message.includes(report.stopped_at), later.message);
        }
      }
      // Failures and warnings carry a message long enough to act on.
      for (const c of report.checks.filter((x) => x.status === 'fail' || x.status === 'warn')) {
        assert.ok(c.message.length > 25, `${name}: ${c.name} message too short: ${c.message}`);
      }
    });
  }
});
