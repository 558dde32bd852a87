// `pixie validate` and `pixie validate-all` in-process (program.ts is wired by someone else, so the verbs are
// added to buildProgram() here): output, --json / --summary, exit codes, what lands in pixie.db, and that
// reports survive closing and reopening the database.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CommanderError, type Command } from 'commander';
import { buildProgram } from '../../src/cli/program';
import { registerValidate, registerValidateAll } from '../../src/cli/commands/validate';
import { CliFailure, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from '../../src/cli/errors';
import { openStore } from '../../src/core/store/open';
import { getToolState, setToolArchived } from '../../src/core/store/repositories/toolState';
import { latestValidateJob } from '../../src/core/store/repositories/validateJobs';
import { initSchema } from '../../src/core/store/schema';
import { latestReport, type ValidationReport, type ValidationSummary } from '../../src/core/validator';
import type { ValidateAllResult } from '../../src/core/validator';
import { waitFor } from '../helpers/toolProcesses';

const CORPUS = path.resolve(__dirname, '..', 'fixtures', 'broken-tools');
const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-validate-cli-'));
const toolsDir = path.join(workspace, 'tools');
const dbPath = path.join(workspace, 'pixie.db');
const TOOLS = ['good-node', 'sample-run-500', 'extra-output-key', 'json-trailing-comma'];

/** Live processes running in one of this test's tool folders (a tool's cwd is its folder). */
function toolPids(): number[] {
  const dirs = TOOLS.map((t) => path.join(CORPUS, t));
  const found: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cwd = fs.readlinkSync(`/proc/${name}/cwd`);
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      if (dirs.includes(cwd) && stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z') found.push(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

before(() => {
  // Symlinked tool folders: discovery follows them, and the Node cases keep their relative imports.
  fs.mkdirSync(toolsDir);
  for (const name of TOOLS) fs.symlinkSync(path.join(CORPUS, name), path.join(toolsDir, name));
});

after(async () => {
  const gone = await waitFor(() => toolPids().length === 0, 2000);
  const left = toolPids();
  for (const pid of left) process.kill(pid, 'SIGKILL');
  fs.rmSync(workspace, { recursive: true, force: true });
  assert.ok(gone, `tool processes left behind: ${left.join(', ')}`);
});

function program(): Command {
  const p = buildProgram();
  if (!p.commands.some((c) => c.name() === 'validate')) registerValidate(p);
  if (!p.commands.some((c) => c.name() === 'validate-all')) registerValidateAll(p);
  const override = (c: Command) => {
    c.exitOverride();
    c.configureOutput({ writeOut: (t) => process.stdout.write(t), writeErr: (t) => process.stderr.write(t) });
    c.commands.forEach(override);
  };
  override(p);
  return p;
}

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Same error → exit code mapping as runCli; only string writes are captured (the runner talks in binary chunks). */
async function pixie(...args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write;
  const err = process.stderr.write;
  const capture = (original: typeof process.stdout.write, append: (t: string) => void): typeof process.stdout.write =>
    function (this: NodeJS.WriteStream, chunk: string | Uint8Array, ...rest: unknown[]): boolean {
      if (typeof chunk === 'string') {
        append(chunk);
        return true;
      }
      return (original as (c: Uint8Array, ...r: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof process.stdout.write;
  process.stdout.write = capture(out, (t) => (stdout += t));
  process.stderr.write = capture(err, (t) => (stderr += t));
  let code = EXIT_OK;
  try {
    await program().parseAsync(['--workspace', workspace, ...args], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) code = error.code === 'commander.helpDisplayed' ? EXIT_OK : EXIT_USAGE;
    else if (error instanceof UsageError) code = EXIT_USAGE;
    else if (error instanceof CliFailure) code = error.exitCode;
    else code = EXIT_FAILURE;
    if (!(error instanceof CommanderError)) stderr += `pixie: ${(error as Error).message}\n`;
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    process.exitCode = undefined;
  }
  return { code, stdout, stderr };
}

async function withDb<T>(fn: (store: Awaited<ReturnType<typeof openStore>>) => T | Promise<T>): Promise<T> {
  const store = await openStore({ dbPath });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

describe('pixie validate', () => {
  it('validates a good tool: table on stdout, exit 0, report and discovery hash saved', async () => {
    const r = await pixie('validate', 'good-node');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Validation of good-node/);
    assert.match(r.stdout, /✔ pass {2}clean_shutdown/);
    assert.match(r.stdout, /Overall: PASS/);
    assert.match(r.stdout, /Report saved to /);
    await withDb((store) => {
      assert.equal(latestReport(store, 'good-node')?.overall, 'pass');
      assert.match(store.read((q) => getToolState(q, 'good-node'))?.discoveryHash ?? '', /^[0-9a-f]{64}$/);
    });
  });

  it('exits 1 on fail, naming the failing check; 0 on warn', async () => {
    const failing = await pixie('validate', 'sample-run-500');
    assert.equal(failing.code, 1);
    assert.match(failing.stdout, /✖ fail {2}sample_run_succeeds/);
    assert.match(failing.stderr, /sample-run-500 failed validation at sample_run_succeeds: POST \/run .*answered 500/);
    const warning = await pixie('validate', 'extra-output-key', '--json');
    assert.equal(warning.code, 0);
    const report = JSON.parse(warning.stdout) as ValidationReport;
    assert.equal(report.overall, 'warn');
    assert.equal(report.checks.length, 12);
  });

  it('files an unparseable tool under its folder name, with the JSON error position', async () => {
    const r = await pixie('validate', 'json-trailing-comma', '--summary', '--no-save');
    assert.equal(r.code, 1);
    const summary = JSON.parse(r.stdout) as ValidationSummary;
    assert.equal(summary.tool_id, 'json-trailing-comma');
    assert.deepEqual(summary.counts, { pass: 1, warn: 0, fail: 1, skip: 10 });
    assert.deepEqual(summary.notable_checks.map((c) => c.name), ['tool_json_parses']);
    assert.match(summary.notable_checks[0].message, /line 6, column 16/);
    await withDb((store) => assert.equal(latestReport(store, 'json-trailing-comma'), undefined, '--no-save saves nothing'));
  });

  it('exits 2 for an unknown tool or a missing tools folder', async () => {
    const unknown = await pixie('validate', 'good-nod');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Unknown tool "good-nod".*did you mean "good-node"/);
    const noFolder = await pixie('validate', 'x', '--tools-dir', path.join(workspace, 'nope'));
    assert.equal(noFolder.code, 2);
    assert.match(noFolder.stderr, /No tools folder at/);
  });

  it('--reference-only with --fixture and --tag', async () => {
    const r = await pixie('validate', 'good-node', '--reference-only', '--fixture', 'three_rows', '--tag', 'smoke', '--json', '--no-save');
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as ValidationReport;
    assert.equal(report.reference_only, true);
    assert.equal(report.checks.find((c) => c.name === 'sample_run_succeeds')?.status, 'skip');
    assert.equal(report.checks.find((c) => c.name === 'reference_fixtures_match')?.status, 'pass');
  });

  it('skips an archived tool, saying why', async () => {
    await withDb(async (store) => {
      await initSchema(store);
      await store.write((q) => setToolArchived(q, 'extra-output-key', true, '2026-01-01T00:00:00.000Z'));
    });
    const r = await pixie('validate', 'extra-output-key', '--no-save');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Overall: SKIP — the tool is archived/);
    await withDb((store) => store.write((q) => setToolArchived(q, 'extra-output-key', false, '2026-01-01T00:00:00.000Z')));
  });
});

describe('pixie validate-all', () => {
  it('validates every tool, writes validate_jobs, prints a table, exits 1 when a tool fails', async () => {
    const r = await pixie('validate-all', '--concurrency', '3');
    assert.equal(r.code, 1);
    assert.match(r.stdout, /good-node +pass/);
    assert.match(r.stdout, /sample-run-500 +fail/);
    assert.match(r.stdout, /Done: 4\/4 validated — 1 passed, 1 warned, 2 failed/);
    assert.match(r.stderr, /\[\d\/4\]/);
    const json = await pixie('validate-all', '--json');
    const result = JSON.parse(json.stdout) as ValidateAllResult;
    assert.deepEqual([result.status, result.total, result.passed, result.warned, result.failed], ['done', 4, 1, 1, 2]);
    await withDb((store) => {
      const job = store.read(latestValidateJob);
      assert.equal(job?.id, result.jobId);
      assert.equal(job?.status, 'done');
      assert.equal(job?.completed, 4);
    });
    assert.equal((await pixie('validate-all', '--concurrency', '0')).code, 2);
  });

  it('reports survive closing and reopening the database', async () => {
    const reopened = await openStore({ dbPath });
    try {
      const report = latestReport(reopened, 'good-node');
      assert.equal(report?.overall, 'pass');
      assert.equal(report?.checks.length, 12);
      assert.ok(report?.sample_inputs);
      assert.equal(latestReport(reopened, 'json-trailing-comma')?.overall, 'fail');
    } finally {
      await reopened.close();
    }
  });
});
