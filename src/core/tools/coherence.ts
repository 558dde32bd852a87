// Validator check 3 ("schemas_coherent"): problems that span several fields of a parsed spec.
// Beyond the original's three rules (unique input keys, unique output keys, show_if names another
// input) it also catches ranges that can never be satisfied, choice inputs with nothing to choose and
// defaults that the input itself would refuse (every run would fail on them).
import { coerceInputValue } from './inputValues';
import type { ToolSpec } from './model';
import { didYouMean } from './shape';

/**
 * 'error' for the original Pixie's three rules (duplicate input keys, duplicate output keys, a show_if that
 * names no input); 'warning' for the rules we add, so a tool the original accepts never turns red here.
 */
export type CoherenceSeverity = 'error' | 'warning';

export interface CoherenceProblem {
  /** JSON path of the offending node, for locating it in tool.json (`errorAtPath`). */
  path: string;
  message: string;
  severity: CoherenceSeverity;
}

export function checkCoherence(spec: ToolSpec): string[] {
  return checkCoherenceDetailed(spec).map((p) => p.message);
}

export function checkCoherenceDetailed(spec: ToolSpec): CoherenceProblem[] {
  const problems: CoherenceProblem[] = [];
  const add = (path: string, problem: string, severity: CoherenceSeverity = 'warning'): void => {
    problems.push({ path, message: `${path}: ${problem}`, severity });
  };

  const inputKeys = new Map<string, number>();
  spec.inputs.forEach((input, i) => {
    const first = inputKeys.get(input.key);
    if (first !== undefined) add(`inputs[${i}].key`, `duplicate input key "${input.key}" (also inputs[${first}])`, 'error');
    else inputKeys.set(input.key, i);
  });

  const outputKeys = new Map<string, number>();
  spec.outputs.forEach((output, i) => {
    const first = outputKeys.get(output.key);
    if (first !== undefined) add(`outputs[${i}].key`, `duplicate output key "${output.key}" (also outputs[${first}])`, 'error');
    else outputKeys.set(output.key, i);
  });

  const allKeys = [...inputKeys.keys()];
  spec.inputs.forEach((input, i) => {
    const path = `inputs[${i}]`;
    if (input.show_if) {
      const target = input.show_if.key;
      // The original only asks that the target is an input; pointing at itself is our extra rule.
      if (target === input.key) add(`${path}.show_if.key`, `show_if refers to the input itself ("${target}")`);
      else if (!inputKeys.has(target)) {
        const others = allKeys.filter((k) => k !== input.key);
        add(`${path}.show_if.key`, `show_if refers to "${target}", which is not an input${didYouMean(target, others)}`, 'error');
      }
    }
    if (input.default !== null) {
      const check = coerceInputValue(input, input.default);
      if ('error' in check) add(`${path}.default`, `the default does not fit this ${input.type} input: ${check.error}`);
    }
    switch (input.type) {
      case 'number':
      case 'slider':
        if (input.min !== null && input.max !== null && input.min > input.max) {
          add(`${path}.min`, `min (${input.min}) is greater than max (${input.max})`);
        }
        break;
      case 'date':
        // ISO dates compare correctly as strings.
        if (input.min !== null && input.max !== null && input.min > input.max) {
          add(`${path}.min`, `min (${input.min}) is later than max (${input.max})`);
        }
        break;
      case 'table':
        if (input.min_rows !== null && input.max_rows !== null && input.min_rows > input.max_rows) {
          add(`${path}.min_rows`, `min_rows (${input.min_rows}) is greater than max_rows (${input.max_rows})`);
        }
        break;
      case 'select':
      case 'radio':
        if (input.options.length === 0) add(`${path}.options`, `a ${input.type} input needs at least one option`);
        break;
      default:
        break;
    }
  });

  const secretKeys = new Set<string>();
  spec.secrets.forEach((secret, i) => {
    if (secretKeys.has(secret.key)) add(`secrets[${i}].key`, `duplicate secret key "${secret.key}"`);
    secretKeys.add(secret.key);
  });
  return problems;
}
