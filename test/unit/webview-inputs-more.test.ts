// The inputs added in issue 7 (date_range, audio, markdown, tags, autocomplete, table) and the fixes to the
// existing ones (json schema, highlighted code, filter boxes on long selects, date bounds, file limits, group
// headings with show_if), in a DOM: each type's value in and out, the exact value sent, required/empty, bad values
// and their messages, and keyboard use of the suggestion lists (autocomplete against a fake host request).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { closeDom, fire, settle, setupDom } from './webview-dom';
import { parseToolJson } from '../../src/core/tools/parse';
import type { AutocompleteSuggestion, InputSpec, JsonValue, RequestMethod } from '../../src/protocol';
import { FormView } from '../../webview/form/form';
import { registeredInputTypes } from '../../webview/form/registry';
import type { RequestFn } from '../../webview/outputs/registry';
import { AUTOCOMPLETE_DEBOUNCE_MS } from '../../webview/form/inputs/autocomplete';

type FormViewClass = FormView;
type Win = { KeyboardEvent: typeof KeyboardEvent; File: typeof File; Blob: typeof Blob; Event: typeof Event };
const win = (): Win => (globalThis as unknown as { window: Win }).window;

before(async () => {
  await setupDom();
});
after(closeDom);

function specs(inputs: Record<string, unknown>[]): InputSpec[] {
  const parsed = parseToolJson(JSON.stringify({ id: 't', name: 'T', inputs, outputs: [] }));
  assert.ok(parsed.ok, JSON.stringify(parsed.ok ? '' : parsed.errors));
  return parsed.spec.inputs;
}

function makeForm(inputs: Record<string, unknown>[], request?: RequestFn): FormViewClass {
  const form = new FormView(specs(inputs), { locale: 'en-US', request });
  document.body.appendChild(form.element);
  return form;
}

function q<T extends Element = HTMLElement>(form: FormViewClass, key: string, selector: string): T {
  const found = form.element.querySelector<T>(`[data-key="${key}"] ${selector}`);
  assert.ok(found, `${key}: ${selector}`);
  return found;
}

function qa<T extends Element = HTMLElement>(form: FormViewClass, key: string, selector: string): T[] {
  return [...form.element.querySelectorAll<T>(`[data-key="${key}"] ${selector}`)];
}

function typeInto(target: HTMLElement & { value: string }, text: string): void {
  target.value = text;
  fire(target, 'input');
}

function key(target: EventTarget, name: string, init: KeyboardEventInit = {}): boolean {
  return target.dispatchEvent(new (win().KeyboardEvent)('keydown', { key: name, bubbles: true, cancelable: true, ...init }));
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await settle(5);
  assert.ok(check(), what);
}

const row = (form: FormViewClass, k: string): HTMLElement => form.element.querySelector<HTMLElement>(`[data-key="${k}"]`) as HTMLElement;

test('every new type has a module', () => {
  const types = registeredInputTypes();
  for (const type of ['date_range', 'audio', 'markdown', 'tags', 'autocomplete', 'table']) assert.ok(types.includes(type as never), type);
});

// ---------- date_range ----------

test('date_range: sent as ["start", "end"]; {from, to} from the original is read; both empty sends nothing', () => {
  const form = makeForm([
    { key: 'r', label: 'Range', type: 'date_range', default: ['2026-01-01', '2026-01-08'] },
    { key: 'o', label: 'Old', type: 'date_range', default: { from: '2025-03-01', to: '2025-03-31' }, required: false },
    { key: 'e', label: 'Empty', type: 'date_range' },
  ]);
  assert.deepEqual(form.values(), { r: ['2026-01-01', '2026-01-08'], o: ['2025-03-01', '2025-03-31'] });
  assert.deepEqual(form.validate(), { e: 'Required.' });
  const [start, end] = qa<HTMLElement & { value: string }>(form, 'e', 'vscode-textfield');
  assert.equal(start.id, row(form, 'e').querySelector('vscode-label')?.getAttribute('for'), 'the label points at the start picker');
  assert.equal(end.getAttribute('aria-label'), 'Empty: end');
  typeInto(start, '2026-05-02');
  assert.deepEqual(form.values().e, ['2026-05-02', '']);
  assert.equal(form.validate().e, 'Choose both a start and an end date.');
  typeInto(end, '2026-05-01');
  assert.equal(form.validate().e, 'The start (2026-05-02) is after the end (2026-05-01).');
  typeInto(end, '2026-05-02');
  assert.deepEqual(form.validate(), {});
  assert.deepEqual(form.values().e, ['2026-05-02', '2026-05-02'], 'a one-day range is fine');
  form.setValues({ o: '["2024-02-01","2024-02-29"]' });
  assert.deepEqual(form.values().o, ['2024-02-01', '2024-02-29'], 'a JSON string (a CLI-made value) is read');
  form.setValues({ o: null });
  assert.equal(form.values().o, undefined);
});

// ---------- markdown ----------

test('markdown: sent as typed ("" included); Preview renders through the sanitiser and Edit goes back', () => {
  const form = makeForm([{ key: 'm', label: 'Notes', type: 'markdown', required: false }]);
  assert.deepEqual(form.values(), { m: '' });
  const area = q<HTMLElement & { value: string }>(form, 'm', 'vscode-textarea');
  typeInto(area, '# Title\n\n**bold** <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>');
  assert.equal(form.values().m, '# Title\n\n**bold** <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>');
  const toggle = q(form, 'm', '.markdown-input-toggle');
  const preview = q(form, 'm', '.markdown-input-preview');
  assert.equal(preview.hidden, true);
  toggle.click();
  assert.equal(preview.hidden, false);
  assert.equal(area.hidden, true);
  assert.equal(toggle.getAttribute('aria-pressed'), 'true');
  assert.equal(preview.querySelector('h1')?.textContent, 'Title');
  assert.equal(preview.querySelector('strong')?.textContent, 'bold');
  assert.equal(preview.querySelectorAll('script, img').length, 0, 'no markup from the text survives');
  assert.ok(![...preview.querySelectorAll('a')].some((a) => (a.getAttribute('href') ?? '').startsWith('javascript')));
  assert.equal(preview.querySelector('[onerror]'), null);
  assert.match(preview.textContent ?? '', /<script>alert\(1\)<\/script>/, 'raw HTML in the source shows as text');
  form.focusFirst();
  assert.equal(area.hidden, false, 'focusing the field goes back to editing');
  assert.equal(toggle.getAttribute('aria-pressed'), 'false');
  typeInto(area, '');
  toggle.click();
  assert.equal(preview.textContent, 'Nothing to preview.');
});

// ---------- tags ----------

test('tags: Enter and comma add, Backspace removes, duplicates ignored; sent as a list ([] passes required)', () => {
  const form = makeForm([
    { key: 't', label: 'Tags', type: 'tags', default: ['a'] },
    { key: 'n', label: 'None', type: 'tags' },
  ]);
  assert.deepEqual(form.values(), { t: ['a'], n: [] });
  assert.deepEqual(form.validate(), {}, 'the original sends [] and it passes required');
  const entry = q<HTMLInputElement>(form, 't', 'input.tag-entry');
  entry.focus();
  entry.value = '  b  ';
  key(entry, 'Enter');
  assert.deepEqual(form.values().t, ['a', 'b']);
  assert.equal(entry.value, '');
  entry.value = 'c';
  assert.equal(key(entry, ','), false, 'the comma is not typed');
  assert.deepEqual(form.values().t, ['a', 'b', 'c']);
  entry.value = 'a';
  key(entry, 'Enter');
  assert.deepEqual(form.values().t, ['a', 'b', 'c'], 'a duplicate is ignored');
  typeInto(entry, 'x, y,z');
  assert.deepEqual(form.values().t, ['a', 'b', 'c', 'x', 'y', 'z'], 'pasted text splits on commas; the rest stays in the box');
  assert.equal(entry.value, 'z');
  entry.value = '';
  key(entry, 'Backspace');
  assert.deepEqual(form.values().t, ['a', 'b', 'c', 'x'], 'Backspace in the empty box removes the last tag');
  entry.value = 'keep';
  key(entry, 'Backspace');
  entry.value = '';
  assert.deepEqual(form.values().t, ['a', 'b', 'c', 'x'], 'Backspace with text in the box edits the text only');
  assert.deepEqual(qa(form, 't', '.tag-chip .tag-text').map((c) => c.textContent), ['a', 'b', 'c', 'x']);
  q(form, 't', 'button[aria-label="Remove tag b"]').click();
  assert.deepEqual(form.values().t, ['a', 'c', 'x']);
  entry.value = 'typed';
  assert.deepEqual(form.values().t, ['a', 'c', 'x', 'typed'], 'text still in the box is sent (Ctrl+Enter runs without leaving it)');
  fire(entry, 'blur');
  assert.deepEqual(qa(form, 't', '.tag-text').map((c) => c.textContent), ['a', 'c', 'x', 'typed'], 'leaving the box keeps it as a tag');
  form.setValues({ t: '["<b>bold</b>", 3]' });
  assert.deepEqual(form.values().t, ['<b>bold</b>', '3']);
  assert.equal(q(form, 't', '.tag-text').textContent, '<b>bold</b>', 'tags are text, not markup');
  assert.equal(q(form, 't', '.tag-chip').querySelector('b'), null);
});

test('tags: suggestions from the spec, filtered, keyboard-picked, never offering a chosen tag', () => {
  const form = makeForm([{ key: 't', label: 'Fruit', type: 'tags', suggestions: ['apple', 'apricot', 'banana', 'cherry'] }]);
  const entry = q<HTMLInputElement>(form, 't', 'input.tag-entry');
  const list = q<HTMLUListElement>(form, 't', 'ul[role=listbox]');
  assert.equal(entry.getAttribute('role'), 'combobox');
  assert.equal(entry.getAttribute('aria-controls'), list.id);
  entry.focus();
  fire(entry, 'focus');
  assert.equal(list.hidden, false);
  assert.equal(entry.getAttribute('aria-expanded'), 'true');
  assert.deepEqual([...list.children].map((o) => o.textContent), ['apple', 'apricot', 'banana', 'cherry']);
  typeInto(entry, 'ap');
  assert.deepEqual([...list.children].map((o) => o.textContent), ['apple', 'apricot']);
  assert.equal(entry.getAttribute('aria-activedescendant'), null, 'nothing highlighted until the arrows are used');
  key(entry, 'ArrowDown');
  key(entry, 'ArrowDown');
  assert.equal(entry.getAttribute('aria-activedescendant'), list.children[1].id);
  assert.equal(list.children[1].getAttribute('aria-selected'), 'true');
  key(entry, 'Enter');
  assert.deepEqual(form.values().t, ['apricot']);
  assert.equal(entry.value, '');
  assert.deepEqual([...list.children].map((o) => o.textContent), ['apple', 'banana', 'cherry'], 'a chosen tag is not offered again');
  (list.children[2] as HTMLElement).click();
  assert.deepEqual(form.values().t, ['apricot', 'cherry']);
  key(entry, 'Escape');
  assert.equal(list.hidden, true);
  assert.equal(entry.getAttribute('aria-expanded'), 'false');
  const plain = makeForm([{ key: 'p', label: 'Plain', type: 'tags' }]);
  assert.equal(q(plain, 'p', 'input.tag-entry').getAttribute('role'), null, 'no suggestions: a plain text box');
});

// ---------- autocomplete ----------

interface FakeHost {
  request: RequestFn;
  calls: { method: string; params: unknown }[];
  /** Resolves the oldest unanswered call with these suggestions (or rejects with an Error message). */
  answer(result: AutocompleteSuggestion[] | Error, index?: number): void;
  pending(): number;
}

function fakeHost(): FakeHost {
  const calls: { method: string; params: unknown }[] = [];
  const waiting: { resolve: (v: unknown) => void; reject: (e: Error) => void; done: boolean }[] = [];
  const request = ((method: RequestMethod, params: unknown) => {
    calls.push({ method, params });
    return new Promise((resolve, reject) => waiting.push({ resolve, reject, done: false }));
  }) as unknown as RequestFn;
  return {
    request,
    calls,
    answer(result, index) {
      const call = index !== undefined ? waiting[index] : waiting.find((w) => !w.done);
      assert.ok(call && !call.done, 'a request is waiting');
      call.done = true;
      if (result instanceof Error) call.reject(result);
      else call.resolve({ suggestions: result });
    },
    pending: () => waiting.filter((w) => !w.done).length,
  };
}

const CITIES: AutocompleteSuggestion[] = [
  { value: 'LON', label: 'London' },
  { value: 'LIS', label: 'Lisbon' },
  { value: 'Lima', label: 'Lima' },
];

test('autocomplete: debounced ask through the host, listbox with keyboard navigation, the picked value sent', async () => {
  const host = fakeHost();
  const form = makeForm([{ key: 'c', label: 'City', type: 'autocomplete', endpoint: '/autocomplete/cities' }], host.request);
  assert.deepEqual(form.values(), { c: '' });
  assert.deepEqual(form.validate(), { c: 'Required.' });
  const input = q<HTMLInputElement>(form, 'c', 'input.autocomplete-entry');
  const list = q<HTMLUListElement>(form, 'c', 'ul[role=listbox]');
  assert.equal(input.getAttribute('role'), 'combobox');
  assert.equal(input.getAttribute('aria-autocomplete'), 'list');
  assert.equal(input.getAttribute('aria-expanded'), 'false');
  input.focus();
  typeInto(input, 'l');
  typeInto(input, 'li');
  typeInto(input, 'lis');
  await settle(AUTOCOMPLETE_DEBOUNCE_MS / 2);
  assert.equal(host.calls.length, 0, 'nothing asked while typing');
  await settle(AUTOCOMPLETE_DEBOUNCE_MS);
  assert.deepEqual(host.calls, [{ method: 'autocomplete', params: { endpoint: '/autocomplete/cities', query: 'lis' } }], 'one ask, for the latest text');
  assert.equal(q(form, 'c', '.autocomplete-status').textContent, 'Searching…');
  host.answer(CITIES);
  await until(() => !list.hidden, 'the suggestions show');
  assert.deepEqual([...list.children].map((o) => [o.getAttribute('role'), o.textContent]), [['option', 'London'], ['option', 'Lisbon'], ['option', 'Lima']]);
  assert.equal(input.getAttribute('aria-expanded'), 'true');
  assert.equal(input.getAttribute('aria-activedescendant'), list.children[0].id, 'the first is highlighted, as in the original');
  key(input, 'ArrowDown');
  key(input, 'ArrowDown');
  key(input, 'ArrowDown');
  assert.equal(input.getAttribute('aria-activedescendant'), list.children[2].id, 'stops at the last');
  key(input, 'ArrowUp');
  assert.equal(input.getAttribute('aria-activedescendant'), list.children[1].id);
  assert.deepEqual([...list.children].map((o) => o.getAttribute('aria-selected')), ['false', 'true', 'false']);
  assert.equal(key(input, 'Enter'), false, 'Enter picks (and is not passed on)');
  assert.equal(input.value, 'LIS');
  assert.deepEqual(form.values(), { c: 'LIS' }, "the suggestion's value is sent");
  assert.equal(q(form, 'c', '.autocomplete-picked').textContent, 'Lisbon', 'its label is shown beside it');
  assert.equal(list.hidden, true);
  assert.equal(input.getAttribute('aria-expanded'), 'false');
  assert.equal(input.getAttribute('aria-activedescendant'), null);
  assert.deepEqual(form.validate(), {});

  // Free text is fine too: the box is what is sent.
  typeInto(input, 'Lim');
  assert.equal(q(form, 'c', '.autocomplete-picked').textContent, '');
  await settle(AUTOCOMPLETE_DEBOUNCE_MS + 20);
  host.answer(CITIES.slice(2));
  await until(() => !list.hidden, 'suggestions for Lim');
  (list.children[0] as HTMLElement).click();
  assert.deepEqual(form.values(), { c: 'Lima' });
  assert.equal(q(form, 'c', '.autocomplete-picked').textContent, '', 'label equals value: nothing beside it');
  typeInto(input, 'somewhere new');
  assert.deepEqual(form.values(), { c: 'somewhere new' });
  await settle(AUTOCOMPLETE_DEBOUNCE_MS + 20);
  host.answer([]);
  await until(() => q(form, 'c', '.autocomplete-status').textContent === 'No matches.', 'no matches said');
  key(input, 'Escape');
});

test('autocomplete: stale answers are dropped, failures are said, empty text asks nothing, Escape closes', async () => {
  const host = fakeHost();
  const form = makeForm([{ key: 'c', label: 'City', type: 'autocomplete', endpoint: 'cities', required: false }], host.request);
  const input = q<HTMLInputElement>(form, 'c', 'input.autocomplete-entry');
  const list = q<HTMLUListElement>(form, 'c', 'ul[role=listbox]');
  const status = q(form, 'c', '.autocomplete-status');
  input.focus();
  typeInto(input, '   ');
  await settle(AUTOCOMPLETE_DEBOUNCE_MS + 20);
  assert.equal(host.calls.length, 0, 'blank text asks nothing');
  typeInto(input, 'lo');
  await settle(AUTOCOMPLETE_DEBOUNCE_MS + 20);
  typeInto(input, 'lon');
  await settle(AUTOCOMPLETE_DEBOUNCE_MS + 20);
  assert.equal(host.calls.length, 2);
  host.answer([{ value: 'LON', label: 'London' }], 1);
  await until(() => !list.hidden, 'the newer answer shows');
  host.answer([{ value: 'STALE', label: 'Stale' }], 0);
  await settle(10);
  assert.deepEqual([...list.children].map((o) => o.textContent), ['London'], 'the older answer arrived later and was dropped');
  key(input, 'Escape');
  assert.equal(list.hidden, true);
  key(input, 'ArrowDown');
  assert.equal(host.calls.length, 3, 'ArrowDown asks again at once');
  host.answer(new Error('The tool did not answer: ECONNREFUSED'));
  await until(() => status.textContent !== 'Searching…', 'the failure is said');
  assert.equal(status.textContent, 'No suggestions: The tool did not answer: ECONNREFUSED');
  assert.equal(list.hidden, true);
  assert.deepEqual(form.values(), { c: 'lon' }, 'a failed ask never blocks what is typed');
  typeInto(input, '');
  assert.deepEqual(form.values(), { c: '' });
  assert.deepEqual(form.validate(), {}, 'not required');

  // Without a host (a form built with no request function) the field still works and says why there is nothing.
  const lone = makeForm([{ key: 'c', label: 'City', type: 'autocomplete', endpoint: 'cities' }]);
  const loneInput = q<HTMLInputElement>(lone, 'c', 'input.autocomplete-entry');
  loneInput.focus();
  typeInto(loneInput, 'x');
  await until(() => q(lone, 'c', '.autocomplete-status').textContent === 'No suggestions: No host to ask.', 'no host said');
  assert.deepEqual(lone.values(), { c: 'x' });
});

// ---------- table ----------

const COLUMNS = [
  { key: 'name', label: 'Name', type: 'text' },
  { key: 'qty', label: 'Qty', type: 'integer' },
  { key: 'price', label: 'Price', type: 'number' },
  { key: 'ok', label: 'OK', type: 'boolean' },
  { key: 'when', label: 'When', type: 'date' },
];

test('table: typed cells sent as a list of row objects; Add/Remove kept within min_rows..max_rows', () => {
  const form = makeForm([{ key: 't', label: 'Items', type: 'table', columns: COLUMNS, min_rows: 1, max_rows: 3 }]);
  assert.deepEqual(form.values(), { t: [{ name: '', qty: null, price: null, ok: false, when: '' }] }, 'min_rows blank rows to start');
  assert.deepEqual(qa(form, 't', 'thead th .table-input-label').map((c) => c.textContent), ['Name', 'Qty', 'Price', 'OK', 'When']);
  const cells = (): HTMLInputElement[] => qa<HTMLInputElement>(form, 't', 'tbody input');
  assert.deepEqual(cells().map((c) => c.type), ['text', 'number', 'number', 'checkbox', 'date']);
  assert.equal(cells()[1].getAttribute('aria-label'), 'Qty, row 1');
  const [name, qty, price, ok, when] = cells();
  typeInto(name, 'Widget <b>');
  typeInto(qty, '3');
  typeInto(price, '2.5');
  ok.checked = true;
  fire(ok, 'change');
  typeInto(when, '2026-02-03');
  assert.deepEqual(form.values().t, [{ name: 'Widget <b>', qty: 3, price: 2.5, ok: true, when: '2026-02-03' }]);

  const add = q<HTMLElement & { disabled: boolean }>(form, 't', '.table-input-add');
  const removes = (): HTMLButtonElement[] => qa<HTMLButtonElement>(form, 't', '.table-input-remove');
  assert.equal(removes()[0].disabled, true, 'cannot go below min_rows');
  add.click();
  add.click();
  assert.equal((form.values().t as JsonValue[]).length, 3);
  assert.equal(add.disabled, true, 'cannot go above max_rows');
  add.click();
  assert.equal((form.values().t as JsonValue[]).length, 3);
  assert.equal(q(form, 't', '.table-input-count').textContent, '3 rows (at least 1, at most 3)');
  assert.equal(removes()[0].getAttribute('aria-label'), 'Remove row 1');
  removes()[0].click();
  assert.deepEqual(form.values().t, [
    { name: '', qty: null, price: null, ok: false, when: '' },
    { name: '', qty: null, price: null, ok: false, when: '' },
  ]);
  assert.equal(add.disabled, false);
  assert.equal(cells()[1].getAttribute('aria-label'), 'Qty, row 1', 'rows are renumbered');
  assert.deepEqual(form.validate(), {});
});

test('table: bad cells and row counts refused with the row and column; stored rows read back', () => {
  const form = makeForm([{ key: 't', label: 'Items', type: 'table', columns: COLUMNS, min_rows: 2, max_rows: 3, required: false }]);
  form.setValues({ t: [{ name: 'a', qty: 1, price: 1.25, ok: 'yes', when: '2026-01-01', bogus: 'dropped' }] });
  assert.deepEqual(form.values().t, [
    { name: 'a', qty: 1, price: 1.25, ok: true, when: '2026-01-01' },
    { name: '', qty: null, price: null, ok: false, when: '' },
  ], 'padded to min_rows; unknown keys are not sent');
  const qty = qa<HTMLInputElement>(form, 't', 'tbody input[type=number]')[0];
  typeInto(qty, '1.5');
  assert.deepEqual(form.validate(), { t: 'Row 1, Qty: enter a whole number.' });
  typeInto(qty, '');
  assert.deepEqual(form.validate(), {}, 'a blank cell is null, not an error');
  form.setValues({ t: Array.from({ length: 5 }, (_, i) => ({ name: `r${i}` })) });
  assert.equal((form.values().t as JsonValue[]).length, 5, 'a stored value over max_rows is shown as it is…');
  assert.deepEqual(form.validate(), { t: 'At most 3 rows.' }, '…and refused before it is sent');
  form.setValues({ t: '[{"name":"from json","qty":"7"}]' });
  assert.deepEqual((form.values().t as JsonValue[])[0], { name: 'from json', qty: 7, price: null, ok: false, when: '' });

  const none = makeForm([{ key: 'n', label: 'None', type: 'table', columns: [{ key: 'x', label: 'X', type: 'text' }] }]);
  assert.deepEqual(none.values(), { n: [] }, 'no min_rows: no rows, sent as []');
  assert.deepEqual(none.validate(), {}, '[] passes required, as in the original');
  q(none, 'n', '.table-input-add').click();
  assert.deepEqual(none.values(), { n: [{ x: '' }] });
  assert.equal(document.activeElement, q(none, 'n', 'tbody input'), 'the new row is focused');
});

test('table: a number cell holding text is refused', () => {
  const form = makeForm([{ key: 't', label: 'T', type: 'table', columns: COLUMNS.slice(2, 3), min_rows: 1 }]);
  const price = q<HTMLInputElement>(form, 't', 'tbody input');
  price.value = 'abc';
  fire(price, 'input');
  // Browsers keep such text out of .value and flag validity.badInput; either way it is not sent as a number.
  if (price.value === 'abc') assert.deepEqual(form.validate(), { t: 'Row 1, Price: enter a number.' });
  else assert.deepEqual(form.values().t, [{ price: null }]);
});

// ---------- files: audio, and file limits ----------

function fileOf(name: string, type: string, bytes: number | string): File {
  const body = typeof bytes === 'string' ? bytes : new Uint8Array(bytes);
  return new (win().File)([body], name, { type });
}

function pick(form: FormViewClass, k: string, files: File[]): void {
  const native = q<HTMLInputElement>(form, k, 'input[type=file]');
  Object.defineProperty(native, 'files', { value: files, configurable: true });
  fire(native, 'change');
}

test('audio: a chosen file is one data URL with its name; over max_size_mb or not audio is refused before reading', async () => {
  const form = makeForm([{ key: 'a', label: 'Voice', type: 'audio', max_size_mb: 1, required: false }]);
  assert.deepEqual(form.values(), {});
  assert.equal(q(form, 'a', 'input[type=file]').getAttribute('accept'), 'audio/*');
  pick(form, 'a', [fileOf('big.wav', 'audio/wav', 1024 * 1024 + 1)]);
  await settle(20);
  assert.deepEqual(form.values(), {}, 'nothing to send');
  assert.equal(q(form, 'a', '.file-message').textContent, 'big.wav is 1.0 MB; the limit is 1 MB.');
  pick(form, 'a', [fileOf('notes.txt', 'text/plain', 'hi')]);
  await settle(20);
  assert.deepEqual(form.values(), {});
  assert.match(q(form, 'a', '.file-message').textContent ?? '', /notes\.txt is not an accepted type \(audio\/\*\)/);
  pick(form, 'a', [fileOf('hello there.wav', 'audio/wav', 'RIFF....WAVE')]);
  await until(() => form.values().a !== undefined, 'the audio was read');
  const url = form.values().a as string;
  assert.match(url, /^data:audio\/wav;name=hello%20there\.wav;base64,/);
  assert.equal(Buffer.from(url.slice(url.indexOf(',') + 1), 'base64').toString(), 'RIFF....WAVE');
  assert.equal(q(form, 'a', 'audio').getAttribute('src'), url, 'playable in place (media-src allows data:)');
  assert.equal(q(form, 'a', '.file-name').textContent, 'hello there.wav');
  assert.equal(q(form, 'a', '.file-message').textContent, '');
  form.setValues({ a: `data:audio/ogg;name=big.ogg;base64,${'A'.repeat(1_500_000)}` });
  assert.match(form.validate().a ?? '', /^big\.ogg is 1\.1 MB; the limit is 1 MB\.$/, 'a stored value over the limit is refused too');
  q(form, 'a', '.audio-meta vscode-button').click();
  assert.deepEqual(form.values(), {});
});

class FakeRecorder extends EventTarget {
  static last: FakeRecorder | undefined;
  state: 'inactive' | 'recording' = 'inactive';
  mimeType = 'audio/webm;codecs=opus';
  constructor(readonly stream: unknown) {
    super();
    FakeRecorder.last = this;
  }
  start(): void {
    this.state = 'recording';
  }
  /** Delivers a chunk as the browser would every timeslice. */
  emit(bytes: number): void {
    const event = new Event('dataavailable');
    Object.defineProperty(event, 'data', { value: new (win().Blob)([new Uint8Array(bytes)], { type: 'audio/webm' }) });
    this.dispatchEvent(event);
  }
  stop(): void {
    this.state = 'inactive';
    this.dispatchEvent(new Event('stop'));
  }
}

async function withMicrophone(getUserMedia: () => Promise<unknown>, body: () => Promise<void>): Promise<void> {
  const nav = navigator as unknown as Record<string, unknown>;
  const hadDevices = Object.getOwnPropertyDescriptor(nav, 'mediaDevices');
  Object.defineProperty(nav, 'mediaDevices', { value: { getUserMedia }, configurable: true });
  const globals = globalThis as Record<string, unknown>;
  globals.MediaRecorder = FakeRecorder;
  // The page's Blob and File, as in a browser (Node's own are globals in this test process).
  const [nodeBlob, nodeFile] = [globals.Blob, globals.File];
  globals.Blob = win().Blob;
  globals.File = win().File;
  try {
    await body();
  } finally {
    globals.Blob = nodeBlob;
    globals.File = nodeFile;
    if (hadDevices) Object.defineProperty(nav, 'mediaDevices', hadDevices);
    else delete nav.mediaDevices;
    delete (globalThis as Record<string, unknown>).MediaRecorder;
  }
}

test('audio: Record only where recording is offered; a recording becomes a named data URL; over the limit it is discarded', async () => {
  const plain = makeForm([{ key: 'a', label: 'Voice', type: 'audio' }]);
  assert.equal(q(plain, 'a', '.audio-record').hidden, true, 'no getUserMedia here: only Choose');

  let stopped = 0;
  const stream = { getTracks: () => [{ stop: () => (stopped += 1) }] };
  await withMicrophone(async () => stream, async () => {
    const form = makeForm([{ key: 'a', label: 'Voice', type: 'audio', max_size_mb: 1 }]);
    const record = q(form, 'a', '.audio-record');
    const stop = q(form, 'a', '.audio-stop');
    assert.equal(record.hidden, false);
    record.click();
    await until(() => FakeRecorder.last?.state === 'recording', 'recording started');
    assert.equal(stop.hidden, false);
    assert.equal(form.validate().a, 'Stop the recording first.');
    FakeRecorder.last?.emit(100);
    FakeRecorder.last?.emit(50);
    stop.click();
    await until(() => form.values().a !== undefined, 'the recording was read');
    assert.match(form.values().a as string, /^data:audio\/webm;name=recording-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.webm;base64,/);
    assert.equal(q(form, 'a', '.file-size').textContent, '150 B');
    assert.equal(stopped, 1, 'the microphone is released');
    assert.equal(stop.hidden, true);
    assert.deepEqual(form.validate(), {});

    record.click();
    await until(() => FakeRecorder.last?.state === 'recording', 'second recording started');
    FakeRecorder.last?.emit(1024 * 1024 + 1);
    await settle(10);
    assert.equal(FakeRecorder.last?.state, 'inactive', 'stopped as soon as it passed the limit');
    assert.equal(q(form, 'a', '.file-message').textContent, 'The recording passed the 1 MB limit and was discarded.');
    assert.match(form.values().a as string, /^data:audio\/webm;name=recording-/, 'the earlier recording is kept');
  });

  await withMicrophone(() => Promise.reject(new Error('Permission denied')), async () => {
    const form = makeForm([{ key: 'a', label: 'Voice', type: 'audio' }]);
    const record = q(form, 'a', '.audio-record');
    record.click();
    await until(() => record.hidden, 'Record goes away');
    assert.equal(q(form, 'a', '.file-message').textContent, 'Recording is not available here (Permission denied); choose an audio file instead.');
    assert.deepEqual(form.validate(), { a: 'Required.' });
  });
});

test('file (multiple): a file over max_size_mb is refused with a message, the others kept', async () => {
  const form = makeForm([{ key: 'f', label: 'F', type: 'file', multiple: true, max_size_mb: 1 }]);
  pick(form, 'f', [fileOf('small.txt', 'text/plain', 'ok'), fileOf('huge.bin', 'application/octet-stream', 2 * 1024 * 1024)]);
  await until(() => Array.isArray(form.values().f), 'the small file was read');
  assert.equal((form.values().f as string[]).length, 1);
  assert.match((form.values().f as string[])[0], /^data:text\/plain;name=small\.txt;base64,/);
  assert.equal(q(form, 'f', '.file-message').textContent, 'huge.bin is 2.0 MB; the limit is 1 MB.');
});

// ---------- json schema, code, selects, dates ----------

test('json: checked against its schema before sending, with the failing places named', () => {
  const schema = {
    type: 'object',
    required: ['name'],
    properties: { name: { type: 'string', minLength: 2 }, age: { type: 'integer', minimum: 0 }, tags: { type: 'array', items: { type: 'string' } } },
    additionalProperties: false,
  };
  const form = makeForm([{ key: 'j', label: 'J', type: 'json', schema, default: { name: 'Ada', age: 36 } }]);
  assert.deepEqual(form.validate(), {});
  assert.deepEqual(form.values(), { j: { name: 'Ada', age: 36 } });
  const area = q<HTMLElement & { value: string }>(form, 'j', 'vscode-textarea');
  typeInto(area, '{"age": -1, "tags": ["a", 3]}');
  assert.equal(
    form.validate().j,
    'Does not match the input\'s schema: Instance does not have required property "name". At /age: -1 is less than 0. At /tags/1: Instance type "number" is invalid. Expected "string". (and 0 more)'.replace(' (and 0 more)', ''),
  );
  typeInto(area, '{"name": "A", "x": 1, "y": 2, "z": 3}');
  assert.match(form.validate().j ?? '', /^Does not match the input's schema: At \/name: String is too short \(1 < 2\)\. Property "x" does not match additional properties schema\. Property "y" .* \(and 1 more\)$/);
  typeInto(area, '{"name": "Ada"');
  assert.match(form.validate().j ?? '', /^Not valid JSON/, 'syntax first');
  typeInto(area, '{"name": "Bo", "tags": []}');
  assert.deepEqual(form.validate(), {});
});

test('json: a schema the checker cannot use is noted, not blocking', () => {
  const form = makeForm([{ key: 'j', label: 'J', type: 'json', schema: { type: 'object', properties: { a: { type: 'string', pattern: '([' } } }, default: { a: 'x' } }]);
  assert.deepEqual(form.validate(), {});
  const note = q(form, 'j', '.json-schema-note');
  assert.equal(note.hidden, false);
  assert.match(note.textContent ?? '', /^The schema in tool\.json could not be used to check this value: Invalid regular expression/);
  assert.deepEqual(form.values(), { j: { a: 'x' } });
});

test('code: highlighted while typing in its language; sent as typed; text never becomes markup', () => {
  const form = makeForm([
    { key: 'p', label: 'Py', type: 'code', language: 'python', default: 'def f():\n    return 1\n' },
    { key: 'x', label: 'Plain', type: 'code', language: 'plain', required: false },
  ]);
  assert.deepEqual(form.values(), { p: 'def f():\n    return 1\n', x: '' });
  const pre = q(form, 'p', 'pre.code-editor-highlight');
  assert.equal(pre.getAttribute('aria-hidden'), 'true');
  assert.ok(pre.querySelector('.hljs-keyword'), 'python keywords are highlighted');
  assert.equal(pre.textContent, 'def f():\n    return 1\n\n', 'the layer holds the same text (plus the line that sizes a trailing newline)');
  const area = q<HTMLTextAreaElement>(form, 'p', 'textarea.code-editor-text');
  assert.equal(area.id, row(form, 'p').querySelector('vscode-label')?.getAttribute('for'));
  typeInto(area, 'import os  # <script>alert(1)</script>');
  assert.equal(form.values().p, 'import os  # <script>alert(1)</script>');
  assert.equal(pre.querySelector('script'), null);
  assert.ok(pre.querySelector('.hljs-comment'));
  const plain = q(form, 'x', 'pre.code-editor-highlight');
  typeInto(q<HTMLTextAreaElement>(form, 'x', 'textarea'), 'def not highlighted');
  assert.equal(plain.querySelector('span'), null, 'an unknown language stays plain');
  assert.equal(q(form, 'p', '.code-language').textContent, 'python');
});

test('select and multiselect: a filter box when searchable or when there are many options', () => {
  const many = Array.from({ length: 20 }, (_, i) => ({ value: i, label: `Option ${i}` }));
  const form = makeForm([
    { key: 'few', label: 'Few', type: 'select', options: many.slice(0, 3) },
    { key: 'search', label: 'Search', type: 'select', options: many.slice(0, 3), searchable: true },
    { key: 'many', label: 'Many', type: 'select', options: many, default: 7 },
    { key: 'mfew', label: 'MFew', type: 'multiselect', options: many.slice(0, 3) },
    { key: 'mmany', label: 'MMany', type: 'multiselect', options: many, default: [3, 19] },
  ]);
  const combo = (k: string, tag: string): boolean => (q(form, k, tag) as unknown as { combobox: boolean }).combobox;
  assert.equal(combo('few', 'vscode-single-select'), false);
  assert.equal(combo('search', 'vscode-single-select'), true);
  assert.equal(combo('many', 'vscode-single-select'), true);
  assert.equal(combo('mfew', 'vscode-multi-select'), false);
  assert.equal(combo('mmany', 'vscode-multi-select'), true);
  assert.deepEqual(form.values(), { few: 0, search: 0, many: 7, mfew: [], mmany: [3, 19] });
});

test('date: min/max are enforced; a bound that is not a date is ignored (as the host ignores it)', () => {
  const form = makeForm([
    { key: 'd', label: 'D', type: 'date', min: '2026-01-01', max: '2026-12-31', default: '2027-01-01' },
    { key: 'e', label: 'E', type: 'date', min: 'today', default: '2020-05-05' },
  ]);
  assert.deepEqual(form.validate(), { d: 'Must be on or before 2026-12-31.' });
  assert.equal(q(form, 'e', 'vscode-textfield').getAttribute('min'), null);
  form.setValues({ d: '2026-07-01' });
  assert.deepEqual(form.validate(), {});
});

test('number: the unit is shown and the value is sent without it', () => {
  const form = makeForm([{ key: 'n', label: 'N', type: 'number', unit: '°C', default: 21.5 }]);
  assert.equal(q(form, 'n', '.unit').textContent, '°C');
  assert.deepEqual(form.values(), { n: 21.5 });
});

// ---------- groups and show_if ----------

test('groups: a heading whose inputs are all hidden (show_if or hidden inputs) is hidden too', () => {
  const form = makeForm([
    { key: 'mode', label: 'Mode', type: 'select', options: [{ value: 'simple', label: 'Simple' }, { value: 'expert', label: 'Expert' }] },
    { key: 'depth', label: 'Depth', type: 'number', group: 'Advanced', show_if: { key: 'mode', equals: 'expert' } },
    { key: 'items', label: 'Items', type: 'table', group: 'Advanced', columns: [{ key: 'x', label: 'X', type: 'number' }], show_if: { key: 'mode', equals: 'expert' } },
    { key: 'secret', label: 'S', type: 'hidden', default: 'v', group: 'Internal' },
    { key: 'tags', label: 'Tags', type: 'tags', group: 'Labels' },
  ]);
  const fieldsets = [...form.element.querySelectorAll<HTMLFieldSetElement>('fieldset.field-group')];
  assert.deepEqual(fieldsets.map((f) => f.querySelector('legend')?.textContent), ['Advanced', 'Internal', 'Labels']);
  assert.deepEqual(fieldsets.map((f) => f.hidden), [true, true, false]);
  assert.deepEqual(form.validate(), {}, 'inputs in a hidden group are not checked');
  const mode = q<HTMLElement & { value: string }>(form, 'mode', 'vscode-single-select');
  mode.value = '1';
  fire(mode, 'change');
  assert.deepEqual(fieldsets.map((f) => f.hidden), [false, true, false]);
  assert.deepEqual(form.validate(), { depth: 'Required.' });
  mode.value = '0';
  fire(mode, 'change');
  assert.equal(fieldsets[0].hidden, true);
  assert.deepEqual(form.values(), { mode: 'simple', items: [], secret: 'v', tags: [] }, 'hidden inputs still send their values, as the original does');
});

test('show_if: new types drive and follow conditions (tags list, date_range, autocomplete text)', () => {
  const form = makeForm([
    { key: 'range', label: 'Range', type: 'date_range', required: false },
    { key: 'why', label: 'Why', type: 'markdown', show_if: { key: 'range', equals: ['2026-01-01', '2026-01-02'] } },
    { key: 'kind', label: 'Kind', type: 'tags' },
    { key: 'rows', label: 'Rows', type: 'table', columns: [{ key: 'x', label: 'X', type: 'text' }], show_if: { key: 'kind', equals: ['table'] } },
  ]);
  assert.equal(row(form, 'why').hidden, true);
  assert.equal(row(form, 'rows').hidden, true);
  form.setValues({ range: ['2026-01-01', '2026-01-02'], kind: ['table'] });
  assert.equal(row(form, 'why').hidden, false, 'a list value matches a list in equals');
  assert.equal(row(form, 'rows').hidden, false);
  const entry = q<HTMLInputElement>(form, 'kind', 'input.tag-entry');
  entry.value = 'more';
  key(entry, 'Enter');
  assert.equal(row(form, 'rows').hidden, true, 'a user change re-applies show_if');
});
