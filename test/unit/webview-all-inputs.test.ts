// The all-inputs fixture tool's form (test/fixtures/tools/all-inputs: one input of each of the 28 types with their
// options, group headings, a show_if) in a DOM: a real control for every type, the groups in order, show_if, and —
// untouched — exactly the values the tool must receive (expected-defaults.json, also asserted by the e2e run against
// what the tool echoes).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { closeDom, settle, setupDom } from './webview-dom';
import { parseToolJson } from '../../src/core/tools/parse';
import { INPUT_TYPES, type InputSpec, type JsonValue } from '../../src/protocol';
import { FormView } from '../../webview/form/form';
import { registeredInputTypes } from '../../webview/form/registry';

const DIR = path.resolve(__dirname, '..', 'fixtures', 'tools', 'all-inputs');
let inputs: InputSpec[];
let expected: Record<string, JsonValue>;

before(async () => {
  await setupDom();
  const parsed = parseToolJson(fs.readFileSync(path.join(DIR, 'tool.json'), 'utf8'));
  assert.ok(parsed.ok, JSON.stringify(parsed.ok ? '' : parsed.errors));
  inputs = parsed.spec.inputs;
  expected = JSON.parse(fs.readFileSync(path.join(DIR, 'expected-defaults.json'), 'utf8')) as Record<string, JsonValue>;
});
after(closeDom);

function mountForm(): FormView {
  const form = new FormView(inputs, { locale: 'en-US' });
  document.body.replaceChildren(form.element);
  form.setValues(null);
  return form;
}

test('the fixture has one input of each of the 28 types', () => {
  assert.deepEqual([...new Set(inputs.map((i) => i.type))].sort(), [...INPUT_TYPES].sort());
});

test('every input type has a module (none falls back to the JSON box)', () => {
  const registered = registeredInputTypes();
  const missing = INPUT_TYPES.filter((type) => !registered.includes(type));
  assert.deepEqual(missing, [], `input types without a module: ${missing.join(', ')}`);
});

test('the form: a field per input in tool.json order, a real control for each type, groups in order', async () => {
  const form = mountForm();
  await settle();
  const fields = [...form.element.querySelectorAll('.field')];
  assert.deepEqual(fields.map((f) => f.getAttribute('data-key')), inputs.map((i) => i.key).sort((a, b) => order(a) - order(b)));
  const fallbacks = fields.filter((f) => f.querySelector('.fallback-input')).map((f) => f.getAttribute('data-type'));
  assert.deepEqual(fallbacks, [], 'types shown as a JSON box instead of their own control');
  for (const field of fields) {
    if (field.getAttribute('data-type') === 'hidden') assert.equal((field as HTMLElement).hidden, true, 'hidden has no visible row');
    else assert.ok(field.children.length > 0 && field.querySelector('*:not(.field-error):not(.field-description):not(vscode-label)'), `${field.getAttribute('data-key')} has a control`);
  }
  assert.deepEqual([...form.element.querySelectorAll('fieldset.field-group > legend')].map((l) => l.textContent), ['Words', 'Numbers', 'Choices', 'Dates', 'Files', 'Structured', 'Maps']);
});

/** Fields sit in their group's fieldset where the group first appears, so the DOM order is by group, then tool.json. */
function order(key: string): number {
  const groups: (string | null)[] = [];
  for (const input of inputs) if (!groups.includes(input.group)) groups.push(input.group);
  const index = inputs.findIndex((i) => i.key === key);
  return groups.indexOf(inputs[index].group) * 1000 + index;
}

test('untouched, the form sends exactly the expected values (files not chosen are not sent)', () => {
  const form = mountForm();
  assert.deepEqual(form.values(), expected);
  assert.deepEqual(form.validate(), {}, 'the defaults pass the client-side checks');
});

test('show_if: the colour input hides while the toggle is off, and is still sent', () => {
  const form = mountForm();
  const colour = form.element.querySelector<HTMLElement>('.field[data-key="colour"]');
  assert.equal(colour?.hidden, false);
  form.setValues({ ...expected, toggle: false });
  assert.equal(colour?.hidden, true);
  assert.equal(form.values().colour, '#3366ff');
  assert.equal(form.values().toggle, false);
});
