// Check 7: GET /schema returns tool.json as it is on disk (key order ignored). A difference usually means
// the tool serves a stale copy or a hand-written schema; the differing paths say where.
import { getSchema } from '../../runner/client';
import type { JsonObject } from '../../tools/model';
import { fail, pass, toJson, type CheckDefinition, type CheckOutcome, type ValidationContext } from '../context';
import { jsonDifferences } from './jsonDiff';

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

async function run(ctx: ValidationContext): Promise<CheckOutcome> {
  const proc = ctx.proc;
  if (!proc || !ctx.raw) return fail('The tool is not running, so /schema cannot be read.');
  let served: unknown;
  try {
    served = await getSchema(proc.baseUrl, { timeoutMs: ctx.timeouts.schemaMs, signal: ctx.signal });
  } catch (error) {
    if (ctx.signal?.aborted) throw error;
    return fail(`GET /schema failed: ${(error as Error).message}. The tool must answer GET /schema with its tool.json.`, {
      stderr: proc.stderrSnapshot().slice(-2000),
    });
  }
  const { differences, total } = jsonDifferences(ctx.raw, served);
  if (total === 0) return pass('GET /schema matches tool.json on disk.');
  const listed = differences.slice(0, 5).map((d) =>
    d.kind === 'missing' ? `${d.path} (only on disk)` : d.kind === 'added' ? `${d.path} (only in /schema)` : `${d.path} (disk ${short(d.disk)}, served ${short(d.served)})`,
  );
  const details: JsonObject = {
    differences: differences.map((d) => toJson(d)),
    total_differences: total,
  };
  return fail(
    `GET /schema differs from tool.json on disk at ${total} path${total > 1 ? 's' : ''}: ${listed.join('; ')}${total > 5 ? '; …' : ''}. ` +
      'Serve the tool.json file itself (read it at startup) and restart the tool after editing it.',
    details,
  );
}

export const schemaMatchesDisk: CheckDefinition = { name: 'schema_matches_disk', gating: true, needsProcess: true, run };
