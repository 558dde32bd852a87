// Check 11: the tool computes the right answers. Each reference/fixture_*.json is run against the live
// process and its expected outputs compared with the output type's comparator, under the merged
// tolerances. Within a time budget (60 s, or validator_timeout_override); does not stop the chain.
import path from 'node:path';
import { promises as fs } from 'node:fs';
import { postRun, ToolHttpError, ToolRequestError } from '../../runner/client';
import { listFixtures, loadTolerance, type FixtureFile, type ReferenceFixture, type ToleranceConfig } from '../../tools/fixtures';
import type { JsonObject, JsonValue, OutputType, ToolSpec } from '../../tools/model';
import { compareOutput, mergedTolerance } from '../comparators';
import { fail, pass, skip, toJson, warn, type CheckDefinition, type CheckOutcome, type ValidationContext } from '../context';
import { matchesName, selectFixtures } from '../fixtureSelection';

type FixtureStatus = 'pass' | 'warn' | 'fail' | 'skip';

interface DiffEntry {
  output_key: string;
  comparator: string;
  path: string;
  metric: string;
  severity: 'fail' | 'warn';
  expected?: JsonValue;
  actual?: JsonValue;
}

interface FixtureResult {
  file: string;
  name: string;
  status: FixtureStatus;
  message: string;
  diffs: DiffEntry[];
  notes: string[];
  duration_ms: number;
  inputs: JsonObject;
  outputs: JsonValue;
}

function truncated(v: unknown, max: number): JsonValue {
  if (v === undefined) return null;
  const text = JSON.stringify(v) ?? 'null';
  return text.length <= max ? toJson(v) : `${text.slice(0, max)}… [${text.length - max} more characters]`;
}

/** Per-fixture timeout (seconds): fixture override → tool override → max_runtime_seconds + 5. */
export function fixtureTimeoutSeconds(fixture: ReferenceFixture, spec: ToolSpec): number {
  return fixture.validator_timeout_override ?? spec.validator_timeout_override ?? spec.max_runtime_seconds + 5;
}

function compareFixture(fixture: ReferenceFixture, actual: Record<string, unknown>, spec: ToolSpec, config: ToleranceConfig): { diffs: DiffEntry[]; notes: string[] } {
  const types = new Map<string, OutputType>(spec.outputs.map((o) => [o.key, o.type]));
  const diffs: DiffEntry[] = [];
  const notes: string[] = [];
  const max = config.options.truncate_diff_chars;
  for (const [key, expected] of Object.entries(fixture.expected_outputs)) {
    const type = types.get(key);
    if (type === undefined) continue; // refused when the fixture was loaded
    if (!Object.hasOwn(actual, key)) {
      const policy = config.options.on_missing_expected_key;
      if (policy !== 'ignore') {
        diffs.push({ output_key: key, comparator: 'key_presence', path: '', metric: `output "${key}" is missing from the /run response`, severity: policy === 'fail' ? 'fail' : 'warn', expected: truncated(expected, max) });
      }
      continue;
    }
    const tolerance = mergedTolerance(key, type, config, fixture.tolerance);
    const outcome = compareOutput(expected, actual[key], type, tolerance);
    if (outcome.ok) {
      if (outcome.degraded) notes.push(`"${key}": ${outcome.note ?? 'compared by size + SHA-256'}`);
      continue;
    }
    diffs.push({
      output_key: key,
      comparator: outcome.comparator,
      path: outcome.path,
      metric: outcome.metric,
      severity: 'fail',
      expected: truncated(outcome.expected, max),
      actual: truncated(outcome.actual, max),
    });
    if (outcome.degraded) notes.push(`"${key}": compared by size + SHA-256 (no decoder for this format here)`);
  }
  return { diffs, notes };
}

function describeDiff(d: DiffEntry): string {
  return `output "${d.output_key}"${d.path ? ` at ${d.path}` : ''}: ${d.metric}`;
}

async function runFixture(ctx: ValidationContext, file: FixtureFile, fixture: ReferenceFixture, spec: ToolSpec, config: ToleranceConfig, remainingMs: number): Promise<FixtureResult> {
  const base = { file: file.fileName, name: fixture.name, diffs: [] as DiffEntry[], notes: [] as string[], inputs: fixture.inputs, outputs: null as JsonValue };
  if (fixture.skip_reason !== null) return { ...base, status: 'skip', message: `skipped: ${fixture.skip_reason}`, duration_ms: 0 };
  const proc = ctx.proc;
  if (!proc) return { ...base, status: 'fail', message: 'the tool is not running', duration_ms: 0 };
  const timeoutMs = Math.max(1, Math.floor(Math.min(fixtureTimeoutSeconds(fixture, spec) * 1000, remainingMs)));
  const runId = ctx.clock.newId();
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  let actual: Record<string, unknown>;
  try {
    actual = await postRun(proc.baseUrl, {
      runId,
      inputs: fixture.inputs,
      artefactsDir: path.join(ctx.artefactsRoot, spec.id, runId),
      timeoutMs,
      signal: ctx.signal,
    });
  } catch (error) {
    if (ctx.signal?.aborted) throw error;
    const why = error instanceof ToolRequestError && error.kind === 'timeout'
      ? `POST /run did not answer within ${Math.round(timeoutMs / 100) / 10} s${timeoutMs < fixtureTimeoutSeconds(fixture, spec) * 1000 ? ' (the reference budget ran out)' : ''}`
      : error instanceof ToolHttpError ? `POST /run answered ${error.status}${error.detail ? `: ${error.detail.split('\n')[0]}` : ''}` : `POST /run failed: ${(error as Error).message}`;
    return { ...base, status: 'fail', message: why, duration_ms: elapsed() };
  }
  const { diffs, notes } = compareFixture(fixture, actual, spec, config);
  const failing = diffs.filter((d) => d.severity === 'fail');
  const outputs = toJson(actual);
  if (failing.length > 0) {
    const more = failing.length > 1 ? ` (and ${failing.length - 1} more)` : '';
    return { ...base, outputs, diffs, notes, status: 'fail', message: `${describeDiff(failing[0])}${more}`, duration_ms: elapsed() };
  }
  if (diffs.length > 0 || notes.length > 0) {
    const first = diffs.length > 0 ? describeDiff(diffs[0]) : notes[0];
    return { ...base, outputs, diffs, notes, status: 'warn', message: first, duration_ms: elapsed() };
  }
  const compared = Object.keys(fixture.expected_outputs).length;
  return { ...base, outputs, diffs, notes, status: 'pass', message: `${compared} output${compared === 1 ? '' : 's'} match`, duration_ms: elapsed() };
}

function located(f: FixtureFile): string {
  const e = f.errors[0];
  return `${f.fileName}: ${e.message} (line ${e.line}, column ${e.column})`;
}

async function run(ctx: ValidationContext): Promise<CheckOutcome> {
  const spec = ctx.spec;
  if (!spec) return fail('tool.json was not parsed, so fixtures cannot be run.');
  const refDir = path.join(ctx.dir, 'reference');
  const st = await fs.stat(refDir).catch(() => undefined);
  if (!st?.isDirectory()) return skip('No reference/ folder: add reference/fixture_<name>.json files to check the tool\'s answers.');
  const files = await listFixtures(ctx.dir, spec);
  if (files.length === 0) return skip('reference/ has no fixture_*.json files.');
  const names = ctx.fixtureFilters;
  const tags = ctx.tagFilters;
  const selected = selectFixtures(files, names, tags);
  const broken = files.filter((f) => !f.fixture && (names.length === 0 || names.some((n) => matchesName(f, n))));
  const tolerance = await loadTolerance(ctx.dir);
  if (!tolerance.ok) {
    const e = tolerance.errors[0];
    return fail(`reference/tolerance.yaml is invalid: ${e.message} (line ${e.line}, column ${e.column})${tolerance.errors.length > 1 ? ` — and ${tolerance.errors.length - 1} more` : ''}.`, {
      errors: tolerance.errors.map((x) => ({ path: x.path, line: x.line, column: x.column, message: x.message })),
    });
  }
  if (broken.length > 0) {
    return fail(`${broken.length === 1 ? 'A fixture file is' : `${broken.length} fixture files are`} invalid: ${broken.slice(0, 3).map(located).join('; ')}.`, {
      errors: broken.map((f) => ({ file: f.fileName, errors: f.errors.map((x) => ({ path: x.path, line: x.line, column: x.column, message: x.message })) })),
    });
  }
  const runnable = selected.filter((f): f is FixtureFile & { fixture: ReferenceFixture } => f.fixture !== undefined);
  if (runnable.length === 0) {
    const filters = [...names.map((n) => `--fixture ${n}`), ...tags.map((t) => `--tag ${t}`)].join(' ');
    return skip(`No fixture matches ${filters} (available: ${files.map((f) => f.fileName).join(', ')}).`);
  }
  const budgetMs = spec.validator_timeout_override !== null ? spec.validator_timeout_override * 1000 : ctx.timeouts.referenceBudgetMs;
  const started = performance.now();
  const results: FixtureResult[] = [];
  for (const file of runnable) {
    const remaining = budgetMs - (performance.now() - started);
    if (remaining <= 0 && file.fixture.skip_reason === null) {
      results.push({ file: file.fileName, name: file.fixture.name, status: 'fail', message: `not run: the ${budgetMs / 1000} s budget for reference fixtures ran out`, diffs: [], notes: [], duration_ms: 0, inputs: file.fixture.inputs, outputs: null });
      continue;
    }
    results.push(await runFixture(ctx, file, file.fixture, spec, tolerance.config, Math.max(remaining, 1)));
  }
  const firstFailing = results.find((r) => r.status === 'fail') ?? results.find((r) => r.status !== 'skip');
  if (firstFailing) ctx.fixtureSample = { inputs: firstFailing.inputs, outputs: firstFailing.outputs };

  const count = (s: FixtureStatus): number => results.filter((r) => r.status === s).length;
  const tally = (['pass', 'warn', 'fail', 'skip'] as const).filter((s) => count(s) > 0).map((s) => `${count(s)} ${s}`).join(', ');
  const details: JsonObject = {
    fixtures: results.map((r) => toJson({ ...r, inputs: undefined, outputs: undefined })),
    budget_ms: budgetMs,
    tolerance_file: tolerance.ok,
  };
  const failed = results.filter((r) => r.status === 'fail');
  if (failed.length > 0) {
    return fail(`${failed.length} of ${results.length} fixture${results.length === 1 ? '' : 's'} failed (${tally}): ${failed[0].file} — ${failed[0].message}.`, details);
  }
  if (count('skip') === results.length) {
    const which = results.length === 1 ? `The only selected fixture (${results[0].file}) is` : `All ${results.length} selected fixtures are`;
    return warn(`${which} skipped, so nothing was compared: ${results[0].message}. Remove skip_reason once the fixture can run.`, details);
  }
  const warned = results.filter((r) => r.status === 'warn');
  if (warned.length > 0) return warn(`Fixtures match, with caveats (${tally}): ${warned[0].file} — ${warned[0].message}.`, details);
  return pass(`${results.length} fixture${results.length === 1 ? '' : 's'} match (${tally}).`, details);
}

export const referenceFixtures: CheckDefinition = { name: 'reference_fixtures_match', gating: false, needsProcess: true, run };
