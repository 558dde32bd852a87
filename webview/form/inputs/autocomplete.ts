// autocomplete: a text box whose suggestions come from the tool (GET /autocomplete/<endpoint>?q=, asked through the
// host, debounced, stale answers dropped). Sent as a string, "" included, like text: what is in the box. Picking a
// suggestion puts its value in the box (its label is shown beside it when the two differ).
import type { AutocompleteSuggestion } from '../../../src/protocol';
import { el } from '../../dom';
import { registerInput } from '../registry';
import { SuggestionList } from './suggestionList';
import { asText } from './textfield';

/** Asks after the user pauses typing this long (as the original's `input.debounce.200ms`). */
export const AUTOCOMPLETE_DEBOUNCE_MS = 200;

registerInput({
  type: 'autocomplete',
  create(spec, ctx) {
    const input = el('input', {
      className: 'autocomplete-entry',
      attrs: { id: ctx.controlId, type: 'text', 'aria-describedby': ctx.describedBy, autocomplete: 'off', spellcheck: 'false' },
    });
    const picked = el('span', { className: 'autocomplete-picked' });
    const status = el('div', { className: 'autocomplete-status', attrs: { role: 'status', 'aria-live': 'polite' } });
    let timer: ReturnType<typeof setTimeout> | undefined;
    /** Bumped on every ask and every edit, so only the answer to the latest text is shown. */
    let sequence = 0;

    const stopAsking = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      sequence += 1;
    };
    const pick = (suggestion: AutocompleteSuggestion): void => {
      stopAsking();
      input.value = asText(suggestion.value);
      picked.textContent = suggestion.label !== input.value ? suggestion.label : '';
      list.close();
      status.textContent = '';
      ctx.changed();
    };
    const list = new SuggestionList<AutocompleteSuggestion>(input, spec.label, (s) => s.label, pick);

    const ask = async (): Promise<void> => {
      timer = undefined;
      const query = input.value;
      if (query.trim() === '') return;
      sequence += 1;
      const mine = sequence;
      status.textContent = 'Searching…';
      try {
        const { suggestions } = await ctx.request('autocomplete', { endpoint: spec.endpoint, query });
        if (mine !== sequence) return;
        status.textContent = suggestions.length === 0 ? 'No matches.' : '';
        if (document.activeElement === input) list.show(suggestions, true);
      } catch (error) {
        if (mine !== sequence) return;
        list.close();
        status.textContent = `No suggestions: ${(error as Error).message}`;
      }
    };
    const askSoon = (): void => {
      stopAsking();
      if (input.value.trim() === '') {
        list.close();
        status.textContent = '';
        return;
      }
      timer = setTimeout(() => void ask(), AUTOCOMPLETE_DEBOUNCE_MS);
    };

    input.addEventListener('input', () => {
      picked.textContent = '';
      askSoon();
      ctx.changed();
    });
    input.addEventListener('keydown', (event) => {
      if (list.handleKey(event)) return;
      if (event.key === 'ArrowDown' && input.value.trim() !== '') {
        // Reopens the suggestions for what is typed.
        event.preventDefault();
        stopAsking();
        void ask();
      }
    });
    input.addEventListener('blur', () => {
      stopAsking();
      list.close();
      if (status.textContent === 'Searching…') status.textContent = '';
    });

    const element = el('div', { className: 'autocomplete-input' }, el('div', { className: 'autocomplete-row' }, input, picked), list.element, status);
    return {
      element,
      read: () => input.value,
      write(value) {
        stopAsking();
        input.value = asText(value);
        picked.textContent = '';
        status.textContent = '';
        list.close();
      },
      setInvalid(invalid) {
        input.classList.toggle('invalid', invalid);
        input.setAttribute('aria-invalid', String(invalid));
      },
      focus() {
        input.focus();
      },
    };
  },
});
