// tags: free-form labels shown as chips, sent as a list of strings ([] when none, which the original sends too and
// which passes `required`). Enter or a comma adds the typed tag (a pasted "a, b, c" adds three), Backspace in an
// empty box removes the last chip; the spec's `suggestions` not yet chosen are offered as the user types.
import type { JsonValue } from '../../../src/protocol';
import { clear, el, icon } from '../../dom';
import { registerInput } from '../registry';
import { SuggestionList } from './suggestionList';

const MAX_SHOWN_SUGGESTIONS = 8;

/** A stored value as tags: a list (non-strings printed), a JSON list in a string, or one tag. */
export function asTags(value: JsonValue | undefined): string[] {
  let v = value;
  if (typeof v === 'string') {
    const text = v.trim();
    if (text.startsWith('[')) {
      try {
        v = JSON.parse(text) as JsonValue;
      } catch {
        return [text];
      }
    } else {
      return text === '' ? [] : [text];
    }
  }
  if (!Array.isArray(v)) return [];
  const out: string[] = [];
  for (const item of v) {
    const tag = (typeof item === 'string' ? item : JSON.stringify(item)).trim();
    if (tag !== '' && !out.includes(tag)) out.push(tag);
  }
  return out;
}

registerInput({
  type: 'tags',
  create(spec, ctx) {
    let tags: string[] = [];
    const chips = el('ul', { className: 'tag-chips', attrs: { 'aria-label': `${spec.label}: tags` } });
    const entry = el('input', {
      className: 'tag-entry',
      attrs: { id: ctx.controlId, type: 'text', 'aria-describedby': ctx.describedBy, autocomplete: 'off', spellcheck: 'false', placeholder: 'Add a tag…' },
    });
    const list = new SuggestionList<string>(entry, spec.label, (s) => s, (s) => {
      add(s);
      entry.focus();
    });
    if (spec.suggestions.length === 0) {
      // Nothing to suggest: a plain text box, not a combobox.
      for (const attr of ['role', 'aria-autocomplete', 'aria-controls', 'aria-expanded']) entry.removeAttribute(attr);
    }
    const box = el('div', { className: 'tag-box' }, chips, entry);
    const element = el('div', { className: 'tags-input' }, box, list.element);
    box.addEventListener('click', (event) => {
      if (event.target === box) entry.focus();
    });

    const offer = (): void => {
      if (spec.suggestions.length === 0 || entry !== document.activeElement) return list.close();
      const q = entry.value.trim().toLowerCase();
      list.show(spec.suggestions.filter((s) => !tags.includes(s) && (q === '' || s.toLowerCase().includes(q))).slice(0, MAX_SHOWN_SUGGESTIONS));
    };
    const render = (): void => {
      clear(chips);
      tags.forEach((tag, index) => {
        const remove = el('button', { className: 'tag-remove', attrs: { type: 'button', 'aria-label': `Remove tag ${tag}` } }, icon('close'));
        remove.addEventListener('click', () => {
          tags = tags.filter((_, i) => i !== index);
          render();
          ctx.changed();
          entry.focus();
        });
        chips.appendChild(el('li', { className: 'tag-chip' }, el('span', { className: 'tag-text', text: tag }), remove));
      });
    };
    /** Adds each comma-separated part of `text`; returns whether anything changed. */
    const add = (text: string): boolean => {
      const before = tags.length;
      for (const part of text.split(',')) {
        const tag = part.trim();
        if (tag !== '' && !tags.includes(tag)) tags.push(tag);
      }
      entry.value = '';
      if (tags.length === before) return false;
      render();
      ctx.changed();
      offer();
      return true;
    };

    entry.addEventListener('keydown', (event) => {
      if (list.handleKey(event)) return;
      if (event.key === 'Enter' && !(event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        add(entry.value);
      } else if (event.key === ',') {
        event.preventDefault();
        add(entry.value);
      } else if (event.key === 'Backspace' && entry.value === '' && tags.length > 0) {
        event.preventDefault();
        tags = tags.slice(0, -1);
        render();
        ctx.changed();
        offer();
      }
    });
    entry.addEventListener('input', () => {
      // A pasted or typed comma ends the tags before it; the text after it stays in the box.
      const comma = entry.value.lastIndexOf(',');
      if (comma >= 0) {
        const rest = entry.value.slice(comma + 1);
        add(entry.value.slice(0, comma));
        entry.value = rest;
      }
      offer();
    });
    entry.addEventListener('focus', offer);
    entry.addEventListener('blur', () => {
      // Leaving the box keeps what was typed, as the original does.
      if (entry.value.trim() !== '') add(entry.value);
      list.close();
    });

    return {
      element,
      canBeEmpty: false,
      // Text still in the box counts (Ctrl+Enter runs without leaving it).
      read: () => [...tags, ...asTags(entry.value.split(',')).filter((t) => !tags.includes(t))],
      write(value) {
        tags = asTags(value);
        entry.value = '';
        render();
        list.close();
      },
      setInvalid(invalid) {
        box.classList.toggle('invalid', invalid);
        entry.setAttribute('aria-invalid', String(invalid));
      },
      focus() {
        entry.focus();
      },
    };
  },
});
