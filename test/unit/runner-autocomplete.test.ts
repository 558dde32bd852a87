// The pure parts of autocomplete: which endpoint paths are allowed, how a tool's answer becomes suggestions, and
// that nothing is started or asked when Workspace Trust blocks execution (a launcher that must not be called).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AutocompleteError, autocompletePath, fetchSuggestions, MAX_SUGGESTIONS, parseSuggestions } from '../../src/core/runner/autocomplete';
import type { LaunchSpec } from '../../src/core/runner/launcher/types';

function kindOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof AutocompleteError);
    return error.kind;
  }
  return 'no error';
}

test('autocompletePath: with or without the /autocomplete/ prefix; nothing that leaves those routes', () => {
  assert.equal(autocompletePath('/autocomplete/cities'), '/autocomplete/cities');
  assert.equal(autocompletePath('autocomplete/cities'), '/autocomplete/cities');
  assert.equal(autocompletePath('cities'), '/autocomplete/cities');
  assert.equal(autocompletePath(' /cities '), '/autocomplete/cities');
  assert.equal(autocompletePath('/autocomplete/geo/cities_v2'), '/autocomplete/geo/cities_v2');
  for (const bad of ['', '/', '/autocomplete/', '..', '../run', '/autocomplete/../run', 'a/./b', 'http://evil/x', 'javascript:alert(1)', '//evil/x', 'cities?q=x', 'cities#x', 'a b', 'a\\b', 'ci%2e%2e', 'a//b']) {
    assert.equal(kindOf(() => autocompletePath(bad)), 'endpoint', bad);
  }
});

test('parseSuggestions: {value,label} lists, string lists, {results}, odd items skipped, capped', () => {
  assert.deepEqual(parseSuggestions('[{"value":"LON","label":"London"},{"value":3}]'), [
    { value: 'LON', label: 'London' },
    { value: 3, label: '3' },
  ]);
  assert.deepEqual(parseSuggestions('["a", 2, true]'), [
    { value: 'a', label: 'a' },
    { value: 2, label: '2' },
    { value: true, label: 'true' },
  ]);
  assert.deepEqual(parseSuggestions('{"results": [{"label": "only a label"}]}'), [{ value: 'only a label', label: 'only a label' }]);
  assert.deepEqual(parseSuggestions('[null, [], {}, {"value": null}, {"value": {"id": 1}, "label": ""}]'), [{ value: { id: 1 }, label: '{"id":1}' }]);
  const many = JSON.stringify(Array.from({ length: 1000 }, (_, i) => `s${i}`));
  assert.equal(parseSuggestions(many).length, MAX_SUGGESTIONS);
  const long = parseSuggestions(JSON.stringify([{ value: 'x', label: 'y'.repeat(2000) }]));
  assert.equal(long[0].label.length, 501, 'labels are cut at 500 characters plus an ellipsis');
  assert.equal(kindOf(() => parseSuggestions('<html>')), 'format');
  assert.equal(kindOf(() => parseSuggestions('{"cities": []}')), 'format');
  assert.equal(kindOf(() => parseSuggestions('"a"')), 'format');
});

test('fetchSuggestions: refuses in Restricted Mode and on a bad endpoint without touching the launcher', async () => {
  let asked = 0;
  const launcher = {
    ensureRunning: () => {
      asked += 1;
      return Promise.reject(new Error('must not be called'));
    },
  };
  const launchSpec: LaunchSpec = { toolId: 't', toolDir: '/nowhere', entrypoint: 'main.mjs', runtime: 'node', warmKeepSeconds: 1, pinnedWarm: false, concurrent: true };
  await assert.rejects(
    fetchSuggestions({ launcher, launchSpec, endpoint: 'cities', query: 'x', blockedReason: () => 'the folder is not trusted.' }),
    (error: unknown) => error instanceof AutocompleteError && error.kind === 'blocked' && error.message === 'No suggestions: the folder is not trusted.',
  );
  await assert.rejects(
    fetchSuggestions({ launcher, launchSpec, endpoint: '../run', query: 'x', blockedReason: () => undefined }),
    (error: unknown) => error instanceof AutocompleteError && error.kind === 'endpoint',
  );
  assert.equal(asked, 0);
  await assert.rejects(
    fetchSuggestions({ launcher, launchSpec, endpoint: 'cities', query: 'x', blockedReason: () => undefined }),
    (error: unknown) => error instanceof AutocompleteError && error.kind === 'start' && /must not be called/.test(error.message),
  );
  assert.equal(asked, 1);
});
