// Input modules in a DOM (happy-dom with the real @vscode-elements components): each type's value in and out, the
// coercion the original's form applies (reference §3.2), client-side checks, show_if, groups, the host's field
// errors, and files refused over max_size_mb before anything is read or sent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { closeDom, fire, settle, setupDom } from './webview-dom';
import { parseToolJson } from '../../src/core/tools/parse';
import { INPUT_TYPES, type InputSpec, type JsonValue } from '../../src/protocol';
import { FormView } from '../../webview/form/form';
import { registeredInputTypes } from '../../webview/form/registry';

type FormViewClass = FormView;

before(async () => {
  await setupDom();
});
after(closeDom);

function specs(inputs: Record<string, unknown>[]): InputSpec[] {
  const parsed = parseToolJson(JSON.stringify({ id: 't', name: 'T', inputs, outputs: [] }));
  assert.ok(parsed.ok, JSON.stringify(parsed.ok ? '' : parsed.errors));
  return parsed.spec.inputs;
}

function makeForm(inputs: Record<string, unknown>[], prefill: Record<string, JsonValue> | null = null): FormViewClass {
  const form = new FormView(specs(inputs), { locale: 'en-US' });
  document.body.appendChild(form.element);
  if (prefill) form.setValues(prefill);
  return form;
}

type Valued = HTMLElement & { value: string; checked: boolean };

function control(form: FormViewClass, key: string, selector: string): Valued {
  const found = form.element.querySelector(`[data-key="${key}"] ${selector}`);
  assert.ok(found, `${key}: ${selector}`);
  return found as Valued;
}

function typeInto(form: FormViewClass, key: string, selector: string, text: string): void {
  const el = control(form, key, selector);
  el.value = text;
  fire(el, 'input');
}

test('every one of the 28 input types has a module', () => {
  assert.equal(INPUT_TYPES.length, 28);
  assert.deepEqual([...registeredInputTypes()].sort(), [...INPUT_TYPES].sort());
});

test('text and textarea: strings as typed ("" included), defaults, max_length in code points', () => {
  const form = makeForm([
    { key: 't', label: 'T', type: 'text', default: 'hello', max_length: 3 },
    { key: 'a', label: 'A', type: 'textarea', required: false, monospace: true },
    { key: 'u', label: 'U', type: 'text', required: false },
  ]);
  assert.deepEqual(form.values(), { t: 'hello', a: '', u: '' });
  assert.deepEqual(form.validate(), { t: 'At most 3 characters.' });
  typeInto(form, 't', 'vscode-textfield', '😀😀😀');
  assert.deepEqual(form.validate(), {}, 'three emoji are three characters, as Python counts');
  typeInto(form, 'a', 'vscode-textarea', 'line 1\nline 2');
  assert.equal(form.values().a, 'line 1\nline 2');
  assert.equal((control(form, 'a', 'vscode-textarea') as unknown as { monospace: boolean }).monospace, true);
});

test('required: empty shown fields are refused on the client, with the message under the field', () => {
  const form = makeForm([{ key: 'name', label: 'Name', type: 'text' }, { key: 'n', label: 'N', type: 'number' }]);
  assert.deepEqual(form.validate(), { name: 'Required.', n: 'Required.' });
  const error = form.element.querySelector('[data-key="name"] .field-error');
  assert.equal(error?.textContent, 'Required.');
  assert.equal((error as HTMLElement).hidden, false);
  assert.ok(form.element.querySelector('[data-key="name"] vscode-label')?.hasAttribute('required'));
  typeInto(form, 'name', 'vscode-textfield', 'Ada');
  assert.equal(form.element.querySelector('[data-key="name"] .field-error')?.textContent, '', 'fixed field clears at once');
});

test('number: a number (integers stay integers), empty sends nothing, min/max/step and unit', () => {
  const form = makeForm([{ key: 'n', label: 'N', type: 'number', min: 1, max: 10, step: 0.5, unit: 'kg', default: 4, required: false }]);
  assert.deepEqual(form.values(), { n: 4 });
  assert.ok(Number.isInteger(form.values().n));
  typeInto(form, 'n', 'vscode-textfield', '2.5');
  assert.deepEqual(form.values(), { n: 2.5 });
  typeInto(form, 'n', 'vscode-textfield', '');
  assert.deepEqual(form.values(), {}, '"" → null → left out, the host applies the default');
  assert.deepEqual(form.validate(), {}, 'not required');
  typeInto(form, 'n', 'vscode-textfield', '11');
  assert.deepEqual(form.validate(), { n: 'Must be at most 10.' });
  typeInto(form, 'n', 'vscode-textfield', '0');
  assert.deepEqual(form.validate(), { n: 'Must be at least 1.' });
  assert.equal(form.element.querySelector('[data-key="n"] .unit')?.textContent, 'kg');
});

test('slider: a number, the midpoint when there is no default; range sends [low, high] in order', () => {
  const form = makeForm([
    { key: 's', label: 'S', type: 'slider', min: 0, max: 20, step: 0.1 },
    { key: 'r', label: 'R', type: 'slider', min: 0, max: 100, range: true, default: [10, 30] },
  ]);
  assert.deepEqual(form.values(), { s: 10, r: [10, 30] });
  const [low, high] = [...form.element.querySelectorAll<HTMLInputElement>('[data-key="r"] input[type=range]')];
  high.value = '5';
  fire(high, 'input');
  assert.deepEqual(form.values().r, [5, 5], 'the high handle cannot pass the low one');
  low.value = '40';
  fire(low, 'input');
  assert.deepEqual(form.values().r, [40, 40]);
  form.setValues({ s: 99 });
  assert.equal(form.values().s, 20, 'clamped to max');
  assert.equal(form.element.querySelector('[data-key="s"] output')?.textContent, '20');
});

test('select: the option value with its JSON type; "4" selects 4; no default → first option', () => {
  const options = [{ value: 1, label: 'Yearly' }, { value: 4, label: 'Quarterly' }, { value: 12, label: 'Monthly' }];
  const form = makeForm([
    { key: 'c', label: 'C', type: 'select', options, default: 12 },
    { key: 'd', label: 'D', type: 'select', options: [{ value: 'x', label: 'X' }, { value: 'y', label: 'Y' }], searchable: true },
    { key: 'b', label: 'B', type: 'select', options: [{ value: true, label: 'On' }, { value: false, label: 'Off' }], default: false },
  ]);
  assert.deepEqual(form.values(), { c: 12, d: 'x', b: false });
  form.setValues({ c: '4' });
  assert.equal(form.values().c, 4);
  const select = control(form, 'c', 'vscode-single-select');
  select.value = '0';
  fire(select, 'change');
  assert.equal(form.values().c, 1);
  assert.equal((control(form, 'd', 'vscode-single-select') as unknown as { combobox: boolean }).combobox, true);
});

test('multiselect: a list of option values, [] when none chosen', () => {
  const form = makeForm([{ key: 'm', label: 'M', type: 'multiselect', options: [{ value: 'a', label: 'A' }, { value: 2, label: 'Two' }, { value: 'c', label: 'C' }] }]);
  assert.deepEqual(form.values(), { m: [] });
  assert.deepEqual(form.validate(), {}, 'the original sends [] and it passes required');
  form.setValues({ m: ['c', 2, 'missing'] });
  assert.deepEqual(form.values().m, [2, 'c']);
  const select = control(form, 'm', 'vscode-multi-select') as unknown as { value: string[] } & HTMLElement;
  select.value = ['0'];
  fire(select, 'change');
  assert.deepEqual(form.values().m, ['a']);
});

test('checkbox and toggle: always true or false; "on"/"yes"/1 read as true', () => {
  const form = makeForm([
    { key: 'c', label: 'Check', type: 'checkbox', description: 'Tick it' },
    { key: 't', label: 'Toggle', type: 'toggle', default: true },
  ]);
  assert.deepEqual(form.values(), { c: false, t: true });
  assert.deepEqual(form.validate(), {}, 'an unticked required checkbox is still a value');
  form.setValues({ c: 'on', t: 0 });
  assert.deepEqual(form.values(), { c: true, t: false });
  const box = control(form, 'c', 'vscode-checkbox') as unknown as { label: string; toggle: boolean };
  assert.equal(box.label, 'Check');
  assert.equal((control(form, 't', 'vscode-checkbox') as unknown as { toggle: boolean }).toggle, true);
  assert.equal(form.element.querySelector('[data-key="c"] .field-description')?.textContent, 'Tick it');
});

test('radio: sent as a string like the original form; nothing chosen sends nothing', () => {
  const form = makeForm([{ key: 'r', label: 'R', type: 'radio', options: [{ value: 1, label: 'One' }, { value: 'two', label: 'Two' }], required: false }]);
  assert.deepEqual(form.values(), {});
  form.setValues({ r: 1 });
  assert.deepEqual(form.values(), { r: '1' });
  const radios = form.element.querySelectorAll<Valued>('[data-key="r"] vscode-radio');
  assert.equal(radios.length, 2);
  radios[0].checked = false;
  radios[1].checked = true;
  fire(radios[1], 'change');
  assert.deepEqual(form.values(), { r: 'two' });
});

test('date, time, datetime: picker strings with min/max; a stored zone suffix is dropped for the picker', () => {
  const form = makeForm([
    { key: 'd', label: 'D', type: 'date', min: '2026-01-01', max: '2026-12-31', default: '2026-06-01' },
    { key: 't', label: 'T', type: 'time', default: '12:30' },
    { key: 'dt', label: 'DT', type: 'datetime', default: '2026-01-01T12:00' },
  ]);
  assert.deepEqual(form.values(), { d: '2026-06-01', t: '12:30', dt: '2026-01-01T12:00' });
  assert.equal(control(form, 'd', 'vscode-textfield').getAttribute('min'), '2026-01-01');
  form.setValues({ d: '2025-12-31' });
  assert.deepEqual(form.validate(), { d: 'Must be on or after 2026-01-01.' });
  form.setValues({ dt: '2026-03-04T05:06:07.000Z' });
  assert.equal(form.values().dt, '2026-03-04T05:06:07');
  assert.equal((control(form, 'd', 'vscode-textfield') as unknown as { type: string }).type, 'date');
  assert.equal((control(form, 'dt', 'vscode-textfield') as unknown as { type: string }).type, 'datetime-local');
});

test('colour: #rrggbb, black by default', () => {
  const form = makeForm([{ key: 'c', label: 'C', type: 'colour' }, { key: 'd', label: 'D', type: 'colour', default: '#FF8800' }]);
  assert.deepEqual(form.values(), { c: '#000000', d: '#ff8800' });
  assert.equal(form.element.querySelector('[data-key="d"] .colour-hex')?.textContent, '#ff8800');
});

test('json: parsed objects and lists; syntax errors and scalars refused with a message', () => {
  const form = makeForm([{ key: 'j', label: 'J', type: 'json', default: { a: 1 } }]);
  assert.deepEqual(form.values(), { j: { a: 1 } });
  typeInto(form, 'j', 'vscode-textarea', '[1, 2, {"b": null}]');
  assert.deepEqual(form.values(), { j: [1, 2, { b: null }] });
  typeInto(form, 'j', 'vscode-textarea', '{"a": ');
  assert.match(form.validate().j ?? '', /^Not valid JSON/);
  typeInto(form, 'j', 'vscode-textarea', '42');
  assert.equal(form.validate().j, 'Expected a JSON object {…} or list […].');
  typeInto(form, 'j', 'vscode-textarea', '   ');
  assert.deepEqual(form.validate(), { j: 'Required.' });
});

test('code: source text as typed, with its language shown', () => {
  const form = makeForm([{ key: 'q', label: 'Query', type: 'code', language: 'sql', default: 'select 1;' }]);
  assert.deepEqual(form.values(), { q: 'select 1;' });
  assert.equal(form.element.querySelector('[data-key="q"] .code-language')?.textContent, 'sql');
  typeInto(form, 'q', 'textarea', 'select <script>alert(1)</script>;');
  assert.equal(form.values().q, 'select <script>alert(1)</script>;');
});

test('hidden: no visible row; always sends its default as a string', () => {
  const form = makeForm([{ key: 'h', label: 'H', type: 'hidden', default: 42 }, { key: 'g', label: 'G', type: 'hidden', default: 'v1' }]);
  assert.deepEqual(form.values(), { h: '42', g: 'v1' });
  form.setValues({ h: 'changed', g: 'other' });
  assert.deepEqual(form.values(), { h: '42', g: 'v1' }, "past values do not override the tool's current default");
  assert.equal((form.element.querySelector('[data-key="h"]') as HTMLElement).hidden, true);
});

test('show_if: the field shows only while the other value matches; hidden fields are never required', () => {
  const form = makeForm([
    { key: 'mode', label: 'Mode', type: 'select', options: [{ value: 'simple', label: 'Simple' }, { value: 'expert', label: 'Expert' }] },
    { key: 'depth', label: 'Depth', type: 'number', show_if: { key: 'mode', equals: 'expert' } },
    { key: 'flag', label: 'Flag', type: 'toggle' },
    { key: 'why', label: 'Why', type: 'text', show_if: { key: 'flag', equals: true } },
  ]);
  const row = (key: string) => form.element.querySelector(`[data-key="${key}"]`) as HTMLElement;
  assert.equal(row('depth').hidden, true);
  assert.equal(row('why').hidden, true);
  assert.deepEqual(form.validate(), {}, 'hidden required fields are not checked');
  const mode = control(form, 'mode', 'vscode-single-select');
  mode.value = '1';
  fire(mode, 'change');
  assert.equal(row('depth').hidden, false);
  assert.deepEqual(form.validate(), { depth: 'Required.' });
  form.setValues({ flag: 'true' });
  assert.equal(row('why').hidden, false, '"true" matches true by its printed form');
  assert.deepEqual(form.values(), { mode: 'simple', flag: true, why: '' }, 'setValues resets the rest to defaults; hidden inputs still send their value');
});

test('groups: inputs sharing a group sit under one heading where the first of them is', () => {
  const form = makeForm([
    { key: 'a', label: 'A', type: 'text', group: 'Money' },
    { key: 'b', label: 'B', type: 'text' },
    { key: 'c', label: 'C', type: 'text', group: 'Money' },
  ]);
  const children = [...form.element.children];
  assert.equal(children.length, 2);
  assert.equal(children[0].tagName, 'FIELDSET');
  assert.equal(children[0].querySelector('legend')?.textContent, 'Money');
  assert.deepEqual([...children[0].querySelectorAll('.field')].map((f) => f.getAttribute('data-key')), ['a', 'c']);
  assert.equal(children[1].getAttribute('data-key'), 'b');
});

test("the host's field errors show under their fields; unknown keys come back to be shown elsewhere", () => {
  const form = makeForm([{ key: 'a', label: 'Alpha', type: 'text' }, { key: 'h', label: 'H', type: 'text', show_if: { key: 'a', equals: 'zzz' } }]);
  const unplaced = form.showErrors({ a: 'must be shorter', bogus: 'not an input of this tool', h: 'hidden field problem' });
  assert.equal(form.element.querySelector('[data-key="a"] .field-error')?.textContent, 'must be shorter');
  assert.deepEqual(unplaced, ['bogus: not an input of this tool', 'H: hidden field problem']);
  assert.ok(form.focusFirstError());
  form.clearErrors();
  assert.equal(form.element.querySelectorAll('.field.invalid').length, 0);
});

test('a type without a module (a newer tool.json) gets a JSON box, so the tool still runs', () => {
  // A type this version does not know (tool.json parsing refuses it; a newer host could still send one).
  const spec = { key: 'holo', label: 'Holo', type: 'hologram', default: ['a', 'b'], required: false } as unknown as InputSpec;
  const form = new FormView([spec], { locale: 'en-US' });
  document.body.appendChild(form.element);
  assert.deepEqual(form.values(), { holo: ['a', 'b'] });
  assert.match(form.element.querySelector('[data-key="holo"] .field-note')?.textContent ?? '', /not supported in this version/);
  typeInto(form, 'holo', 'vscode-textarea', 'plain words');
  assert.deepEqual(form.values(), { holo: 'plain words' }, 'non-JSON text is sent as text for the host to judge');
});

test('prototype keys in values are plain data', () => {
  const form = makeForm([{ key: '__proto__', label: 'P', type: 'text', default: 'x' }]);
  const values = form.values();
  assert.equal(Object.getPrototypeOf(values), Object.prototype);
  assert.deepEqual(Object.keys(values), ['__proto__']);
});

// ---------- files ----------

function fileOf(name: string, type: string, bytes: number | string): File {
  const FileClass = (globalThis as unknown as { window: { File: typeof File } }).window.File;
  const body = typeof bytes === 'string' ? bytes : new Uint8Array(bytes);
  return new FileClass([body], name, { type });
}

function pick(form: FormViewClass, key: string, files: File[]): void {
  const native = form.element.querySelector<HTMLInputElement>(`[data-key="${key}"] input[type=file]`);
  assert.ok(native);
  Object.defineProperty(native, 'files', { value: files, configurable: true });
  fire(native, 'change');
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await settle(5);
  assert.ok(check(), what);
}

test('file: read into a data URL carrying the file name; Remove clears it', async () => {
  const form = makeForm([{ key: 'f', label: 'F', type: 'file', accept: '.csv,text/plain', required: false }]);
  assert.deepEqual(form.values(), {});
  assert.equal(form.element.querySelector('[data-key="f"] input[type=file]')?.getAttribute('accept'), '.csv,text/plain');
  pick(form, 'f', [fileOf('scores & notes.csv', 'text/csv', 'name,score\nada,3\n')]);
  await until(() => form.values().f !== undefined, 'the file was read');
  const url = form.values().f as string;
  assert.match(url, /^data:text\/csv;name=scores%20%26%20notes\.csv;base64,/);
  assert.equal(Buffer.from(url.slice(url.indexOf(',') + 1), 'base64').toString(), 'name,score\nada,3\n');
  assert.equal(form.element.querySelector('[data-key="f"] .file-name')?.textContent, 'scores & notes.csv');
  const remove = form.element.querySelector<HTMLElement>('[data-key="f"] .file-item vscode-button');
  remove?.click();
  assert.deepEqual(form.values(), {});
});

test('file: over max_size_mb (or of a type accept rules out) is refused with a message, nothing kept', async () => {
  const form = makeForm([{ key: 'f', label: 'F', type: 'file', max_size_mb: 1, accept: ['.txt'], required: false }]);
  pick(form, 'f', [fileOf('big.txt', 'text/plain', 1024 * 1024 + 1)]);
  await settle(20);
  assert.deepEqual(form.values(), {}, 'nothing to send');
  assert.match(form.element.querySelector('[data-key="f"] .file-message')?.textContent ?? '', /big\.txt is 1\.0 MB; the limit is 1 MB\./);
  pick(form, 'f', [fileOf('photo.png', 'image/png', 10)]);
  await settle(20);
  assert.deepEqual(form.values(), {});
  assert.match(form.element.querySelector('[data-key="f"] .file-message')?.textContent ?? '', /photo\.png is not an accepted type/);
  pick(form, 'f', [fileOf('ok.txt', 'text/plain', 'fine')]);
  await until(() => form.values().f !== undefined, 'a file within the limit is read');
  assert.equal(form.element.querySelector('[data-key="f"] .file-message')?.textContent, '');
});

test('image: several images as a list of data URLs, with thumbnails; replay shows stored names and sizes', async () => {
  const form = makeForm([{ key: 'i', label: 'I', type: 'image', multiple: true, max_size_mb: 5 }]);
  pick(form, 'i', [fileOf('a.png', 'image/png', 8), fileOf('b.gif', 'image/gif', 8), fileOf('notes.txt', 'text/plain', 3)]);
  await until(() => Array.isArray(form.values().i), 'images read');
  const urls = form.values().i as string[];
  assert.equal(urls.length, 2, 'the text file is refused');
  assert.match(urls[0], /^data:image\/png;name=a\.png;base64,/);
  assert.equal(form.element.querySelectorAll('[data-key="i"] img.file-thumb').length, 2);
  form.setValues({ i: ['data:image/png;name=old%20one.png;base64,iVBORw0KGgo='] });
  assert.equal(form.element.querySelector('[data-key="i"] .file-name')?.textContent, 'old one.png');
  assert.equal(form.element.querySelector('[data-key="i"] .file-size')?.textContent, '8 B');
  assert.deepEqual(form.validate(), {});
  form.setValues({ i: [] });
  assert.deepEqual(form.validate(), { i: 'Required.' });
});
