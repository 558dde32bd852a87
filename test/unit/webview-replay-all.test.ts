// Replay from history reproduces every output type exactly: the all-outputs fixture's normal values shown live (the
// outputs pane's streaming path: the tool's /stream updates accumulated as the host does, then the finished run) and
// shown from a stored run (a fresh pane given the same RunView) end with the same text and the same element
// structure in every card. Every card also shows something: not empty, not "not yet supported", not a fallback.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { closeDom, settle, setupDom } from './webview-dom';
import { StreamState } from '../../src/core/runner/streamState';
import { OUTPUT_TYPES, type JsonValue } from '../../src/protocol';
import { loadLeaflet } from '../../webview/maps/leaflet';
import { OutputsView } from '../../webview/outputs/area';
import { fakeContext, hostView, loadAllOutputs, runViewOf, type AllOutputsFixture, type Outputs } from './allOutputsFixture';

let fixture: AllOutputsFixture;

before(async () => {
  await setupDom();
  fixture = await loadAllOutputs();
  // Map outputs draw once Leaflet has loaded (on first use; the bundle inlines it). Load it now, so that no map is
  // still waiting for it when a card is examined.
  await loadLeaflet();
});
after(closeDom);

const MEDIA = 'img, canvas, svg, video, audio, iframe, table';

interface CardState {
  text: string;
  structure: string;
}

function card(view: OutputsView, key: string): Element {
  const found = view.element.querySelector(`section.output-card[data-output-key="${key}"]`);
  assert.ok(found, `no card for output "${key}"`);
  return found;
}

/** What a card shows: its body's text, and its elements' tags and classes (ids and sizes left out: they vary). */
function cardState(view: OutputsView, key: string): CardState {
  const body = card(view, key).querySelector('.output-body') ?? card(view, key);
  const structure = [...body.querySelectorAll('*')].map((e) => `${e.localName}${e.classList.length > 0 ? `.${[...e.classList].sort().join('.')}` : ''}`).join(' ');
  return { text: body.textContent ?? '', structure };
}

/** Why a card does not show its value, or undefined when it does. */
function blankReason(view: OutputsView, key: string): string | undefined {
  const element = card(view, key);
  if (element.classList.contains('empty') || element.querySelector('.output-empty')) return 'the card is empty';
  if (element.querySelector('.unsupported-note')) return 'the type is "not yet supported"';
  const fallback = [...element.querySelectorAll('.output-note')].find((n) => (n.textContent ?? '').startsWith('Could not render'));
  if (fallback) return `the module threw: ${fallback.textContent}`;
  const body = element.querySelector('.output-body') ?? element;
  if ((body.textContent ?? '').trim() === '' && !body.querySelector(MEDIA)) return 'the card body has no text and no picture';
  return undefined;
}

function mount(): OutputsView {
  const view = new OutputsView(fixture.specs, fakeContext().ctx);
  document.body.appendChild(view.element);
  return view;
}

/**
 * Lets renderers that draw asynchronously (charts, maps, KaTeX) finish: waits until the page has not changed for
 * 100 ms (at most 3 s), so a loaded machine does not compare a card halfway through its drawing.
 */
async function drawn(): Promise<void> {
  const MutationObserverClass = (globalThis as unknown as { window: { MutationObserver: typeof MutationObserver } }).window.MutationObserver;
  let last = Date.now();
  const observer = new MutationObserverClass(() => (last = Date.now()));
  observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  const deadline = Date.now() + 3000;
  try {
    do await settle(25);
    while (Date.now() - last < 100 && Date.now() < deadline);
  } finally {
    observer.disconnect();
  }
}

/** The streamed updates accumulated as the host does (StreamState), each shown live as it arrives. */
function streamInto(view: OutputsView, final: Outputs): Record<string, JsonValue> {
  const state = new StreamState(fixture.specs);
  const accumulated: Record<string, JsonValue> = {};
  for (const { key, value } of fixture.streamUpdates('normal')) {
    accumulated[key] = state.apply(key, value) as JsonValue;
    view.update(key, accumulated[key]);
  }
  // The host stores the /run answer overlaid with what streamed (StreamState.merged).
  assert.deepEqual(state.merged(final), { ...final, ...accumulated });
  return accumulated;
}

/** Where two card states first differ (text, else elements), or undefined when they are the same. */
function firstDifference(a: CardState, b: CardState): string | undefined {
  const at = (x: string, y: string): number => {
    let i = 0;
    while (i < x.length && x[i] === y[i]) i++;
    return Math.max(0, i - 40);
  };
  if (a.text !== b.text) {
    const i = at(a.text, b.text);
    return `text differs at ${i}: ${JSON.stringify(a.text.slice(i, i + 120))} vs ${JSON.stringify(b.text.slice(i, i + 120))}`;
  }
  if (a.structure !== b.structure) {
    const i = at(a.structure, b.structure);
    return `elements differ at ${i}: ${a.structure.slice(i, i + 160)} vs ${b.structure.slice(i, i + 160)}`;
  }
  return undefined;
}

function compareAll(live: OutputsView, replay: OutputsView, label: string): string[] {
  const differences: string[] = [];
  for (const spec of fixture.specs) {
    const difference = firstDifference(cardState(live, spec.key), cardState(replay, spec.key));
    if (difference) differences.push(`${label} ${spec.type} (${spec.key}): ${difference} (live vs replay)`);
  }
  return differences;
}

test('the fixture declares one output of each of the 39 types', () => {
  assert.deepEqual(fixture.specs.map((s) => s.type).sort(), [...OUTPUT_TYPES].sort());
});

test('the streamed updates accumulate to exactly the values /run answers (stream_text, log, progress, chart_line)', () => {
  const final = fixture.outputsFor('normal');
  const view = mount();
  try {
    view.startRun();
    const accumulated = streamInto(view, final);
    assert.deepEqual(Object.keys(accumulated).sort(), ['chart_line', 'log', 'progress', 'stream_text']);
    for (const [key, value] of Object.entries(accumulated)) assert.deepEqual(value, final[key], key);
  } finally {
    view.element.remove();
  }
});

test('every output type: streamed live then finished shows exactly what a replay of the stored run shows', async () => {
  const final = hostView(fixture.outputsFor('normal'));
  const live = mount();
  const replay = mount();
  try {
    live.startRun();
    streamInto(live, final);
    await drawn();
    live.showRun(runViewOf(final));
    replay.showRun(runViewOf(final));
    await drawn();
    const blanks = fixture.specs.map((s) => [s, blankReason(replay, s.key)] as const).filter(([, reason]) => reason).map(([s, reason]) => `${s.type} (${s.key}): ${reason}`);
    const differences = compareAll(live, replay, 'streamed+finished vs replay:');
    assert.deepEqual({ blanks, differences }, { blanks: [], differences: [] }, 'every card of the replayed run shows its value, the same as live');
  } finally {
    live.element.remove();
    replay.element.remove();
  }
});

test('every output type: a value shown through the live update path equals the same value replayed', async () => {
  const final = hostView(fixture.outputsFor('normal'));
  const live = mount();
  const replay = mount();
  try {
    live.startRun();
    for (const spec of fixture.specs) live.update(spec.key, final[spec.key]);
    replay.showRun(runViewOf(final));
    await drawn();
    assert.deepEqual(compareAll(live, replay, 'live update vs replay:'), []);
    // Replaying the same run again (history → the same run) changes nothing either.
    const before = fixture.specs.map((s) => cardState(replay, s.key));
    replay.showRun(runViewOf(final));
    await drawn();
    const again = fixture.specs.map((s) => cardState(replay, s.key));
    const changed = fixture.specs.flatMap((s, i) => {
      const difference = firstDifference(before[i], again[i]);
      return difference ? [`${s.type}: ${difference}`] : [];
    });
    assert.deepEqual(changed, [], 'a second replay of the same run draws the same cards');
  } finally {
    live.element.remove();
    replay.element.remove();
  }
});
