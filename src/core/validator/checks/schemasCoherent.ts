// Check 3: problems spanning several fields. The original's three rules (unique input keys, unique
// output keys, show_if names an input) fail; the rules we add (impossible ranges, defaults the input
// refuses, …) only warn, so a tool the original accepts never turns red here.
import { checkCoherenceDetailed } from '../../tools/coherence';
import { errorAtPath } from '../../tools/parse';
import { fail, pass, warn, type CheckDefinition, type CheckOutcome, type ValidationContext } from '../context';

async function run(ctx: ValidationContext): Promise<CheckOutcome> {
  const spec = ctx.spec;
  if (!spec) return fail('tool.json was not parsed, so its coherence cannot be checked.');
  const problems = checkCoherenceDetailed(spec).map((p) => {
    const at = errorAtPath(ctx.toolJsonText ?? '', p.path, p.message);
    return { ...p, line: at.line, column: at.column };
  });
  if (problems.length === 0) return pass('Input and output keys are unique and every show_if names an input.');
  const details = {
    problems: problems.map((p) => ({ path: p.path, line: p.line, column: p.column, message: p.message, severity: p.severity })),
  };
  const errors = problems.filter((p) => p.severity === 'error');
  const list = (ps: typeof problems): string => ps.slice(0, 3).map((p) => `${p.message} (line ${p.line})`).join('; ') + (ps.length > 3 ? '; …' : '');
  if (errors.length > 0) return fail(`tool.json is not coherent: ${list(errors)}`, details);
  return warn(`tool.json has ${problems.length === 1 ? 'a questionable field' : `${problems.length} questionable fields`}: ${list(problems)}`, details);
}

export const schemasCoherent: CheckDefinition = { name: 'schemas_coherent', gating: true, needsProcess: false, run };
