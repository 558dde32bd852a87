// The tool's gatekeeper status: pass / warn / fail / unchecked (and skipped), with the failing check's message.
import type { ValidationStatus } from '../../src/protocol';
import { clear, el, icon } from '../dom';

const LOOK: Record<ValidationStatus['state'], { icon: string; text: string }> = {
  pass: { icon: 'pass', text: 'Validated' },
  warn: { icon: 'warning', text: 'Validated with warnings' },
  fail: { icon: 'error', text: 'Validation failed' },
  skip: { icon: 'circle-slash', text: 'Validation skipped' },
  unchecked: { icon: 'circle-large-outline', text: 'Not validated yet' },
};

export class ValidationBadge {
  readonly element = el('div', { className: 'validation', attrs: { role: 'status' } });

  set(status: ValidationStatus): void {
    const look = LOOK[status.state];
    clear(this.element);
    this.element.className = `validation state-${status.state}`;
    const detail = status.message ? `${status.check ? `${status.check}: ` : ''}${status.message}` : '';
    this.element.append(icon(look.icon), el('span', { className: 'validation-text', text: ` ${look.text}` }));
    if (status.outdated) this.element.appendChild(el('span', { className: 'validation-outdated', text: ' (the tool changed since)' }));
    if (detail) this.element.appendChild(el('div', { className: 'validation-detail', text: detail }));
    this.element.title = status.checkedAt ? `Checked ${status.checkedAt}` : 'No validation report yet';
  }
}
