// A cookbook-shaped Python tool (FastAPI + uvicorn in its .venv over Debian's packages) run through RunService, the
// real launcher and pixie.db on disk: its outputs conform to tool.json and are stored as returned.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRunHarness, type RunHarness } from './helpers/runHarness';
import { ensurePythonVenvs } from '../helpers/pythonTools';
import { checkOutputs } from '../../src/core/tools/outputs';
import type { ToolSpec } from '../../src/core/tools/model';

const skip = ensurePythonVenvs();
let h: RunHarness | undefined;

before(async () => {
  if (!skip) h = await createRunHarness();
});

after(async () => {
  await h?.close();
});

interface Compound {
  final_value: number;
  total_contributions: number;
  total_interest: number;
  growth_chart: { x: number[]; series: { name: string; y: number[] }[] };
  yearly_breakdown: { columns: { key: string }[]; rows: { year: number; end_balance: number }[] };
}

/** The same arithmetic as the tool, for an independent check of what came back. */
function expected(principal: number, ratePct: number, years: number, periods: number, monthly: number): { final: number; contributed: number } {
  const rate = ratePct / 100 / periods;
  const contribution = (monthly * 12) / periods;
  let balance = principal;
  let contributed = principal;
  for (let y = 0; y < years; y++) {
    for (let p = 0; p < periods; p++) balance += balance * rate + contribution;
    contributed += contribution * periods;
  }
  return { final: Math.round(balance * 100) / 100, contributed: Math.round(contributed * 100) / 100 };
}

test('py-compound-interest runs and its outputs conform', { skip }, async () => {
  assert.ok(h);
  const tool = h.tool('py-compound-interest');
  assert.equal(tool.runtime, 'python');
  // Strings, as the CLI passes them: validation turns them into the declared number/select/toggle values.
  const outcome = await h.service.run(tool, { principal: '5000', annual_rate: '4', years: '3', compounding: '4', monthly_contribution: '100', inflation_adjusted: 'false' });
  assert.equal(outcome.status, 'ok', outcome.errorText);
  const row = h.runRow(outcome.runId);
  assert.ok(row);
  assert.deepEqual(JSON.parse(row.inputs_json).inputs, {
    principal: 5000,
    annual_rate: 4,
    years: 3,
    compounding: 4,
    monthly_contribution: 100,
    inflation_adjusted: false,
  });
  const outputs = JSON.parse(row.outputs_json ?? 'null') as Compound;
  assert.deepEqual(outputs, outcome.outputs);
  const report = checkOutputs(tool.spec as ToolSpec, outputs);
  assert.deepEqual(report, { missing: [], extra: [], invalid: [] });
  assert.equal(h.meta(outcome.runId).output_problems, undefined);

  const want = expected(5000, 4, 3, 4, 100);
  assert.equal(outputs.final_value, want.final);
  assert.equal(outputs.total_contributions, want.contributed);
  assert.ok(Math.abs(outputs.total_interest - (want.final - want.contributed)) < 0.02);
  assert.deepEqual(outputs.growth_chart.x, [0, 1, 2, 3]);
  assert.equal(outputs.growth_chart.series[0].y.at(-1), want.final);
  assert.deepEqual(outputs.yearly_breakdown.rows.map((r) => r.year), [1, 2, 3]);
  assert.deepEqual(outputs.yearly_breakdown.columns.map((c) => c.key), ['year', 'start_balance', 'contributions', 'interest', 'end_balance']);
  assert.equal(h.toolState('py-compound-interest')?.run_count_total, 1);

  // Warm: a second run reuses the uvicorn process.
  const pid = h.launcher.get('py-compound-interest')?.pid;
  const second = await h.service.run(tool, { years: '1' });
  assert.equal(second.status, 'ok', second.errorText);
  assert.equal(h.launcher.get('py-compound-interest')?.pid, pid);
  assert.equal((second.outputs as unknown as Compound).yearly_breakdown.rows.length, 1);
});
