// Autocomplete end to end: the fixture tool's GET /autocomplete/<endpoint>?q= through the real launcher (started on
// the first ask, warm after), every answer shape, the cap, and the faults (slow, not JSON, 404, undeclared endpoint,
// Restricted Mode) as clear AutocompleteErrors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRunHarness, type RunHarness } from './helpers/runHarness';
import { AutocompleteError, AutocompleteService, fetchSuggestions, MAX_SUGGESTIONS } from '../../src/core/runner/autocomplete';
import { launchSpecFor } from '../../src/core/runner/launchSpec';
import { isUsable } from '../../src/core/tools/discovery';

let h: RunHarness;
let blocked: string | undefined;
let service: AutocompleteService;

before(async () => {
  h = await createRunHarness();
  service = new AutocompleteService({ store: h.store, launcher: h.launcher, config: () => h.config, blockedReason: () => blocked, timeoutMs: 2_000 });
});

after(async () => {
  await h.close();
});

async function failure(promise: Promise<unknown>): Promise<AutocompleteError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AutocompleteError, `expected an AutocompleteError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to fail');
}

test('Restricted Mode: refused before any process starts', async () => {
  blocked = 'this folder is open in Restricted Mode.';
  try {
    const error = await failure(service.suggest(h.tool('autocomplete'), '/autocomplete/cities', 'li'));
    assert.equal(error.kind, 'blocked');
    assert.equal(error.message, 'No suggestions: this folder is open in Restricted Mode.');
    assert.equal(h.launcher.get('autocomplete'), undefined, 'nothing was started');
  } finally {
    blocked = undefined;
  }
});

test('an endpoint the tool does not declare is refused without starting it', async () => {
  const error = await failure(service.suggest(h.tool('autocomplete'), '/autocomplete/secrets', 'x'));
  assert.equal(error.kind, 'endpoint');
  assert.match(error.message, /no autocomplete input with endpoint "\/autocomplete\/secrets"/);
  for (const bad of ['../run', '/autocomplete/../run', 'http://example.com/autocomplete/cities', 'cities?x=1', '']) {
    assert.equal((await failure(service.suggest(h.tool('autocomplete'), bad, 'x'))).kind, 'endpoint', bad);
  }
  assert.equal(h.launcher.get('autocomplete'), undefined);
});

test('cities: [{value, label}] from the warm process, whichever way the endpoint is written', async () => {
  const tool = h.tool('autocomplete');
  const first = await service.suggest(tool, '/autocomplete/cities', 'li');
  assert.deepEqual(first, [{ value: 'LIS', label: 'Lisbon' }, { value: 'LIM', label: 'Lima' }]);
  const pid = h.launcher.get('autocomplete')?.pid;
  assert.ok(pid, 'the first ask started the tool');
  // The declared endpoint may be written with or without the /autocomplete/ prefix; the webview sends it as declared.
  assert.deepEqual(await service.suggest(tool, 'cities', 'par'), [{ value: 'PAR', label: 'Paris' }]);
  assert.deepEqual(await service.suggest(tool, 'autocomplete/cities', 'kyō'), [{ value: 'KYO', label: 'Kyōto' }], 'unicode query arrives intact');
  assert.deepEqual(await service.suggest(tool, '/autocomplete/cities', 'zzz'), []);
  assert.equal(h.launcher.get('autocomplete')?.pid, pid, 'the same warm process answered every ask');
});

test('{results: [strings]}: each string is value and label; the query reaches the tool exactly', async () => {
  const tool = h.tool('autocomplete');
  assert.deepEqual(await service.suggest(tool, '/autocomplete/words', 'ap'), [
    { value: 'apple', label: 'apple' },
    { value: 'apricot', label: 'apricot' },
  ]);
  const many = await service.suggest(tool, '/autocomplete/many', 'a&b c=d?#');
  assert.equal(many.length, MAX_SUGGESTIONS, '500 suggestions are capped');
  assert.deepEqual(many[0], { value: 0, label: 'a&b c=d?# #0' });
});

test('faults: slow, not JSON, 404 — each a clear message', async () => {
  const tool = h.tool('autocomplete');
  const slow = await failure(service.suggest(tool, '/autocomplete/slow', 'x'));
  assert.equal(slow.kind, 'unreachable');
  assert.equal(slow.message, 'The tool did not suggest anything within 2 s.');
  const broken = await failure(service.suggest(tool, '/autocomplete/broken', 'x'));
  assert.equal(broken.kind, 'format');
  assert.match(broken.message, /not JSON/);
  const missing = await failure(service.suggest(tool, '/autocomplete/missing', 'x'));
  assert.equal(missing.kind, 'http');
  assert.match(missing.message, /^GET \/autocomplete\/missing answered 404 \(does the tool implement this autocomplete endpoint\?\): Not Found$/);
});

test('fetchSuggestions: the core call on a launch spec; a tool that cannot start is a "start" failure', async () => {
  const tool = h.tool('autocomplete');
  assert.ok(isUsable(tool));
  const launchSpec = launchSpecFor(tool, undefined, h.config);
  const found = await fetchSuggestions({ launcher: h.launcher, launchSpec, endpoint: '/autocomplete/cities', query: 'lon', blockedReason: () => undefined });
  assert.deepEqual(found, [{ value: 'LON', label: 'London' }]);
  const exits = h.tool('exits-at-start');
  assert.ok(isUsable(exits));
  const broken = launchSpecFor(exits, undefined, h.config);
  const error = await failure(fetchSuggestions({ launcher: h.launcher, launchSpec: broken, endpoint: 'cities', query: 'x', blockedReason: () => undefined }));
  assert.equal(error.kind, 'start');
  assert.match(error.message, /^The tool could not start to give suggestions: /);
  const long = await failure(fetchSuggestions({ launcher: h.launcher, launchSpec, endpoint: 'cities', query: 'x'.repeat(1001), blockedReason: () => undefined }));
  assert.equal(long.kind, 'query');
});
