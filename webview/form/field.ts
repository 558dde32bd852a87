// One input's row: label (with the required mark), the control, the description and the error message.
import type { InputSpec, JsonValue } from '../../src/protocol';
import { custom, el, uniqueId } from '../dom';
import { fallbackControl } from './fallback';
import type { RequestFn } from '../outputs/registry';
import { inputModuleFor, type FieldValue, type InputControl } from './registry';

/** Types whose control carries its own label (a checkbox's text sits beside the box). */
const SELF_LABELLED = new Set(['checkbox', 'toggle']);

export class Field {
  readonly row: HTMLElement;
  readonly control: InputControl;
  private readonly errorEl: HTMLElement;
  private error: string | undefined;

  constructor(
    readonly spec: InputSpec,
    locale: string,
    onChange: () => void,
    request: RequestFn,
  ) {
    const controlId = uniqueId(`input-${spec.key.replace(/[^A-Za-z0-9_-]/g, '_')}`);
    const descriptionId = `${controlId}-description`;
    const errorId = `${controlId}-error`;
    const describedBy = spec.description ? `${descriptionId} ${errorId}` : errorId;
    const ctx = { controlId, describedBy, locale, changed: onChange, request };
    const module = inputModuleFor(spec.type);
    this.control = module ? module.create(spec, ctx) : fallbackControl(spec, ctx);
    this.errorEl = el('div', { className: 'field-error', attrs: { id: errorId, role: 'status', 'aria-live': 'polite' } });
    this.errorEl.hidden = true;

    const label = SELF_LABELLED.has(spec.type)
      ? null
      : custom<HTMLElement>('vscode-label', { className: 'field-label', attrs: { for: controlId, required: this.showsRequired() } }, spec.label);
    const description = spec.description
      ? el('div', { className: 'field-description', attrs: { id: descriptionId }, text: spec.description })
      : null;
    this.row = el(
      'div',
      { className: 'field', attrs: { 'data-key': spec.key, 'data-type': spec.type } },
      label,
      this.control.element,
      description,
      this.errorEl,
    );
    if (this.control.visible === false) this.row.hidden = true;
  }

  /** Required and able to be empty: worth the asterisk. */
  showsRequired(): boolean {
    return this.spec.required && this.control.canBeEmpty !== false && this.control.visible !== false;
  }

  get visible(): boolean {
    return this.control.visible !== false;
  }

  read(): FieldValue {
    return this.control.read();
  }

  write(value: JsonValue | undefined): void {
    this.control.write(value);
  }

  isEmpty(): boolean {
    if (this.control.isEmpty) return this.control.isEmpty();
    const value = this.control.read();
    return value === undefined || value === null || value === '';
  }

  setShown(shown: boolean): void {
    if (this.visible) this.row.hidden = !shown;
  }

  get shown(): boolean {
    return this.visible && !this.row.hidden;
  }

  setError(message: string | undefined): void {
    this.error = message;
    this.errorEl.textContent = message ?? '';
    this.errorEl.hidden = message === undefined;
    this.row.classList.toggle('invalid', message !== undefined);
    this.control.setInvalid(message !== undefined);
  }

  get errorMessage(): string | undefined {
    return this.error;
  }
}
