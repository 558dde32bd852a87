// Input modules, one per input type, looked up by `type`. A module builds the control for one input and converts
// between what the control shows and the value sent to the tool (reference §3.2, "browser→Pixie coercion").
// New types (issue 7: date_range, audio, markdown, tags, autocomplete, table, map_*) are new modules registered in
// inputs/index.ts; the form needs no change.
import type { InputSpec, InputSpecOf, InputType, JsonValue } from '../../src/protocol';
import type { RequestFn } from '../outputs/registry';

/** A value to send, or undefined: nothing to send (the host then applies the default or reports "required"). */
export type FieldValue = JsonValue | undefined;

export interface InputContext {
  /** Id for the focusable control, so the field's label points at it. */
  controlId: string;
  /** Space-separated ids of the description and error elements (aria-describedby). */
  describedBy: string;
  locale: string;
  /** Call after every user change (show_if, draft saving and live validation follow it). */
  changed(): void;
  /** Asks the host (autocomplete suggestions come from the tool through it). */
  request: RequestFn;
}

export interface InputControl {
  element: HTMLElement;
  /** The value as the tool receives it. */
  read(): FieldValue;
  /** Show a value (a default, the last inputs, a past run's); null/undefined empties the control. */
  write(value: JsonValue | undefined): void;
  /** A problem with the current value (range, length, syntax, size); required-ness is the form's job. */
  check?(): string | undefined;
  /** Whether the current value counts as "not filled in" for `required`. Default: read() is undefined or "". */
  isEmpty?(): boolean;
  setInvalid(invalid: boolean): void;
  focus(): void;
  /** false: the input has no visible row (hidden inputs). */
  visible?: boolean;
  /** false: the input is never "required-empty" (a checkbox is always true or false). */
  canBeEmpty?: boolean;
}

export interface InputModule<T extends InputType = InputType> {
  type: T;
  create(spec: InputSpecOf<T>, ctx: InputContext): InputControl;
}

type AnyInputModule = { type: InputType; create(spec: InputSpec, ctx: InputContext): InputControl };

const modules = new Map<InputType, AnyInputModule>();

export function registerInput<T extends InputType>(module: InputModule<T>): void {
  // Lookups go by spec.type, so a module only ever receives specs of its own type.
  modules.set(module.type, module as unknown as AnyInputModule);
}

export function inputModuleFor(type: InputType): AnyInputModule | undefined {
  return modules.get(type);
}

export function registeredInputTypes(): InputType[] {
  return [...modules.keys()];
}
