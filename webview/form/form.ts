// The form generated from tool.json: fields in order, inputs sharing a `group` under one heading, `show_if`
// applied live, client-side checks before anything is sent, and the host's per-field errors shown in place.
import type { InputSpec, JsonValue } from '../../src/protocol';
import { el } from '../dom';
import type { RequestFn } from '../outputs/registry';
import { Field } from './field';
import { initialValue, sameValue } from './values';

export interface FormOptions {
  locale: string;
  /** After every user change. */
  onChange?: () => void;
  /** Asks the host (autocomplete inputs); without it such requests fail with a message in the field. */
  request?: RequestFn;
}

const noHost: RequestFn = () => Promise.reject(new Error('No host to ask.'));

export class FormView {
  readonly element: HTMLFormElement;
  private readonly fields: Field[] = [];
  private readonly byKey = new Map<string, Field>();
  /** Each group heading with its members, so a group whose inputs are all hidden hides its heading too. */
  private readonly groups: { element: HTMLElement; fields: Field[] }[] = [];

  constructor(
    specs: readonly InputSpec[],
    private readonly options: FormOptions,
  ) {
    this.element = el('form', { className: 'tool-form', attrs: { novalidate: true, 'aria-label': 'Inputs' } });
    // Enter in a text field must not submit anything: runs start from the Run button or Ctrl/Cmd+Enter only.
    this.element.addEventListener('submit', (event) => event.preventDefault());
    const groups = new Map<string, { element: HTMLElement; fields: Field[] }>();
    for (const spec of specs) {
      const field = new Field(spec, options.locale, () => this.changed(field), options.request ?? noHost);
      this.fields.push(field);
      this.byKey.set(spec.key, field);
      if (spec.group) {
        let group = groups.get(spec.group);
        if (!group) {
          // The group sits where its first input is declared; later members join it.
          group = { element: el('fieldset', { className: 'field-group' }, el('legend', { text: spec.group })), fields: [] };
          groups.set(spec.group, group);
          this.groups.push(group);
          this.element.appendChild(group.element);
        }
        group.fields.push(field);
        group.element.appendChild(field.row);
      } else {
        this.element.appendChild(field.row);
      }
    }
    this.setValues(null);
  }

  get keys(): string[] {
    return this.fields.map((f) => f.spec.key);
  }

  field(key: string): Field | undefined {
    return this.byKey.get(key);
  }

  /** Fill every field: from `values` where it has the key, else the tool.json default. */
  setValues(values: Readonly<Record<string, JsonValue>> | null): void {
    for (const field of this.fields) field.write(initialValue(field.spec, values));
    this.clearErrors();
    this.applyShowIf();
  }

  /**
   * The inputs object sent to the tool. Inputs hidden by show_if are still sent, as the original's form does;
   * inputs with nothing to send are left out (the host fills defaults).
   */
  values(): Record<string, JsonValue> {
    const out: Record<string, JsonValue> = {};
    for (const field of this.fields) {
      const value = field.read();
      if (value !== undefined) Object.defineProperty(out, field.spec.key, { value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }

  /** Client-side checks on the shown fields; shows the messages and returns them by key. */
  validate(): Record<string, string> {
    const errors: Record<string, string> = {};
    for (const field of this.fields) {
      const message = this.problemOf(field);
      field.setError(message);
      if (message !== undefined) errors[field.spec.key] = message;
    }
    return errors;
  }

  /** Shows the host's per-field errors; returns the messages for keys that are not fields of this form. */
  showErrors(fieldErrors: Readonly<Record<string, string>>): string[] {
    const unplaced: string[] = [];
    for (const [key, message] of Object.entries(fieldErrors)) {
      const field = this.byKey.get(key);
      if (field && field.shown) field.setError(message);
      else unplaced.push(`${field ? field.spec.label : key}: ${message}`);
    }
    return unplaced;
  }

  clearErrors(): void {
    for (const field of this.fields) field.setError(undefined);
  }

  focusFirstError(): boolean {
    const first = this.fields.find((f) => f.errorMessage !== undefined && f.shown);
    first?.control.focus();
    return first !== undefined;
  }

  focusFirst(): void {
    this.fields.find((f) => f.shown)?.control.focus();
  }

  private problemOf(field: Field): string | undefined {
    if (!field.shown) return undefined;
    if (field.isEmpty()) return field.spec.required && field.control.canBeEmpty !== false ? 'Required.' : undefined;
    return field.control.check?.();
  }

  private changed(field: Field): void {
    // A field the user fixed loses its message at once; new problems wait for the next Run.
    if (field.errorMessage !== undefined && this.problemOf(field) === undefined) field.setError(undefined);
    this.applyShowIf();
    this.options.onChange?.();
  }

  private applyShowIf(): void {
    for (const field of this.fields) {
      const rule = field.spec.show_if;
      if (!rule) continue;
      const other = this.byKey.get(rule.key);
      field.setShown(other !== undefined && sameValue(other.read(), rule.equals));
    }
    for (const group of this.groups) group.element.hidden = !group.fields.some((f) => f.shown);
  }
}
