// boolean: true/false (or 1/0, or {value, true_label?, false_label?}) shown with its label.
import { el, icon } from '../../dom';
import { registerOutput } from '../registry';
import { stringField, textOf, unwrap } from '../values';

registerOutput({
  type: 'boolean',
  render(raw, spec) {
    const { value, extra } = unwrap(raw);
    const truth = value === true || value === 1 ? true : value === false || value === 0 ? false : undefined;
    if (truth === undefined) return { element: el('div', { className: 'boolean-output', text: value === null ? '—' : textOf(value) }) };
    const label = truth
      ? (stringField(extra, 'true_label') ?? spec.true_label ?? 'True')
      : (stringField(extra, 'false_label') ?? spec.false_label ?? 'False');
    return {
      element: el('div', { className: `boolean-output ${truth ? 'is-true' : 'is-false'}` }, icon(truth ? 'pass' : 'circle-slash'), el('span', { text: label })),
    };
  },
});
