// timeline: events in the order the tool sent them, each with its time, title and description, down a vertical
// line. Accepts `{events: [...]}` or a bare list; an event is `{t|time|date|timestamp|at|start, label|title|name|event,
// description|details|text, end?, level|status|kind?}` or a plain string. Long timelines show a page at a time.
import type { JsonValue } from '../../../src/protocol';
import { el } from '../../dom';
import { registerOutput } from '../registry';
import { isJsonRecord, textOf } from '../values';
import { jsonFallback, moreButton, note, PAGE_ITEMS, pick, pickText } from './fields';
import { timeText } from './timeValues';

export interface TimelineEvent {
  time: JsonValue | undefined;
  end: JsonValue | undefined;
  title: string;
  description: string | undefined;
  level: string | undefined;
}

const TIME_KEYS = ['t', 'time', 'date', 'timestamp', 'at', 'start', 'when', 'datetime'];
const TITLE_KEYS = ['label', 'title', 'name', 'event', 'summary'];
const DESCRIPTION_KEYS = ['description', 'details', 'detail', 'text', 'body', 'message', 'content'];

function eventList(raw: JsonValue, depth = 0): JsonValue[] | undefined {
  if (Array.isArray(raw)) return raw;
  if (!isJsonRecord(raw)) return undefined;
  if (Array.isArray(raw.events)) return raw.events;
  return depth === 0 && Object.hasOwn(raw, 'value') ? eventList(raw.value, 1) : undefined;
}

export function timelineEvents(raw: JsonValue): TimelineEvent[] | undefined {
  const list = eventList(raw);
  if (!list) return undefined;
  return list.map((item): TimelineEvent => {
    if (!isJsonRecord(item)) return { time: undefined, end: undefined, title: item === null ? '' : textOf(item), description: undefined, level: undefined };
    const description = pick(item, DESCRIPTION_KEYS);
    const level = pickText(item, ['level', 'status', 'kind', 'type', 'category']);
    return {
      time: pick(item, TIME_KEYS),
      end: pick(item, ['end', 'until', 'to']),
      title: pickText(item, TITLE_KEYS) ?? '',
      description: description === undefined || description === null ? undefined : textOf(description),
      level,
    };
  });
}

function eventItem(event: TimelineEvent, locale: string): HTMLLIElement {
  const start = timeText(event.time, locale);
  const end = timeText(event.end, locale);
  const time =
    start.text !== ''
      ? el('time', { className: 'timeline-time', attrs: { datetime: start.iso } }, start.text, end.text !== '' ? ` – ${end.text}` : null)
      : null;
  // Only letters survive into the class name: the level styles the dot, the text shows as it was sent.
  const levelClass = event.level ? ` timeline-level-${event.level.toLowerCase().replace(/[^a-z]/g, '')}` : '';
  return el(
    'li',
    { className: `timeline-event${levelClass}` },
    el('span', { className: 'timeline-dot', attrs: { 'aria-hidden': 'true' } }),
    el(
      'div',
      { className: 'timeline-content' },
      time,
      el('div', { className: 'timeline-title' }, el('span', { text: event.title }), event.level ? el('span', { className: 'timeline-badge', text: event.level }) : null),
      event.description !== undefined && event.description !== '' ? el('div', { className: 'timeline-description', text: event.description }) : null,
    ),
  );
}

registerOutput({
  type: 'timeline',
  render(raw, spec, ctx) {
    const events = timelineEvents(raw);
    if (!events) return jsonFallback(raw, 'A timeline needs {events: [{t, label}]} or a list of events.');
    if (events.length === 0) return { element: note('No events.') };
    const list = el('ol', { className: 'timeline-output', attrs: { 'aria-label': spec.label } });
    const element = el('div', { className: 'timeline-view' }, list);
    let shown = 0;
    let more: HTMLElement | undefined;
    const showMore = (): void => {
      more?.remove();
      const fragment = document.createDocumentFragment();
      for (const event of events.slice(shown, shown + PAGE_ITEMS)) fragment.appendChild(eventItem(event, ctx.locale));
      shown = Math.min(events.length, shown + PAGE_ITEMS);
      list.appendChild(fragment);
      more = shown < events.length ? moreButton(events.length - shown, PAGE_ITEMS, showMore) : undefined;
      if (more) element.appendChild(more);
    };
    showMore();
    return { element };
  },
});
