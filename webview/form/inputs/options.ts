// Options of select, multiselect and radio: the controls carry option indexes, the tool gets the typed values.
import type { JsonValue, SelectOption } from '../../../src/protocol';
import { sameValue } from '../values';

/** Beyond this many options a select or multiselect gets a filter box even when the spec does not ask for one. */
export const MANY_OPTIONS = 15;

export function optionItems(options: readonly SelectOption[]): { label: string; value: string }[] {
  return options.map((option, index) => ({ label: option.label, value: String(index) }));
}

/** Index of the option a stored value selects ("4" selects 4), or -1. */
export function optionIndex(options: readonly SelectOption[], value: JsonValue | undefined): number {
  if (value === undefined || value === null) return -1;
  const exact = options.findIndex((o) => o.value === value);
  return exact >= 0 ? exact : options.findIndex((o) => sameValue(o.value, value));
}

export function optionAt(options: readonly SelectOption[], index: string): SelectOption | undefined {
  const i = Number(index);
  return index !== '' && Number.isInteger(i) ? options[i] : undefined;
}
