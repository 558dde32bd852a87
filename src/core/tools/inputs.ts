// Run-time input validation (Pixie's side, before calling the tool): every submitted value is checked
// against its input spec, missing optional inputs get their default or are left out, and the result is
// exactly the `inputs` object sent to the tool.
import { coerceInputValue, toJsonValue } from './inputValues';
import type { InputSpec, JsonValue, ToolSpec } from './model';
import { setOwn } from './ownKeys';
import { didYouMean } from './shape';

export { sampleInputs, samplePayload, sampleFor, CHAT_SAMPLE_INPUTS } from './samples';

export type ValidateInputsResult =
  | { ok: true; inputs: { [key: string]: JsonValue } }
  /** Keyed by input key (or by the unknown key that was submitted); each message says what to fix. */
  | { ok: false; fieldErrors: Record<string, string> };

const CHAT_KEYS = ['messages', 'history'];

function isMissing(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}

export function validateInputs(spec: ToolSpec, values: Record<string, unknown>): ValidateInputsResult {
  const fieldErrors: Record<string, string> = {};
  const inputs: { [key: string]: JsonValue } = {};
  const declared = new Set(spec.inputs.map((i) => i.key));
  const chat = spec.layout === 'chat';

  for (const key of Object.keys(values)) {
    if (declared.has(key) || (chat && CHAT_KEYS.includes(key))) continue;
    setOwn(fieldErrors, key, `not an input of this tool${didYouMean(key, [...declared])}`);
  }

  if (chat) validateChat(values, inputs, fieldErrors);

  // First pass: check what was submitted, fall back to defaults.
  const unset: InputSpec[] = [];
  for (const input of spec.inputs) {
    const raw = Object.hasOwn(values, input.key) ? values[input.key] : undefined;
    let candidate: unknown = raw;
    let fromDefault = false;
    if (isMissing(raw)) {
      if (input.default !== null) {
        candidate = input.default;
        fromDefault = true;
      } else if (input.type === 'checkbox' || input.type === 'toggle') {
        // An unticked box is simply absent from a form: it means false.
        candidate = false;
      } else {
        unset.push(input);
        continue;
      }
    }
    const result = coerceInputValue(input, candidate);
    if ('error' in result) {
      setOwn(fieldErrors, input.key, fromDefault ? `the default in tool.json is invalid: ${result.error}` : result.error);
    } else {
      setOwn(inputs, input.key, result.value);
    }
  }

  // Second pass: an input still unset is an error only when required and currently shown.
  for (const input of unset) {
    if (input.required && isShown(input, inputs)) setOwn(fieldErrors, input.key, 'required');
  }

  return Object.keys(fieldErrors).length > 0 ? { ok: false, fieldErrors } : { ok: true, inputs };
}

/** An input hidden by its `show_if` cannot be filled in by the user, so it is never required. */
function isShown(input: InputSpec, inputs: { [key: string]: JsonValue }): boolean {
  if (!input.show_if) return true;
  const actual = Object.hasOwn(inputs, input.show_if.key) ? inputs[input.show_if.key] : null;
  return sameValue(actual, input.show_if.equals);
}

/** JSON equality; scalars also match by their printed form ("4" shows the same as 4 in a form). */
export function sameValue(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (typeof a !== 'object' || typeof b !== 'object') {
    return typeof a !== 'object' && typeof b !== 'object' && String(a) === String(b);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  }
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && sameValue(a[k], b[k]));
}

function validateChat(values: Record<string, unknown>, inputs: { [key: string]: JsonValue }, fieldErrors: Record<string, string>): void {
  const messages = values.messages;
  if (messages === undefined) {
    fieldErrors.messages = 'required';
  } else {
    const list = isMessageList(messages) ? toJsonValue(messages) : undefined;
    if (list === undefined) fieldErrors.messages = 'expected a list of {role, content} messages';
    else inputs.messages = list;
  }
  const history = values.history ?? [];
  const h = toJsonValue(history);
  if (!Array.isArray(h)) fieldErrors.history = 'expected a list';
  else inputs.history = h;
}

function isMessageList(v: unknown): boolean {
  return Array.isArray(v) && v.every((m) => {
    if (m === null || typeof m !== 'object') return false;
    const r = m as Record<string, unknown>;
    return typeof r.role === 'string' && typeof r.content === 'string';
  });
}
