// The suggestion popup of tags and autocomplete: a listbox owned by a text input that acts as an ARIA combobox
// (aria-expanded, aria-controls, aria-activedescendant). Arrow keys move, Enter picks, Escape closes; a click picks
// without taking focus from the input. Labels go in as text.
import { clear, el, uniqueId } from '../../dom';

export class SuggestionList<T> {
  readonly element: HTMLUListElement;
  private items: T[] = [];
  private options: HTMLLIElement[] = [];
  private activeIndex = -1;

  constructor(
    private readonly input: HTMLInputElement,
    label: string,
    private readonly labelOf: (item: T) => string,
    private readonly onPick: (item: T) => void,
  ) {
    const id = uniqueId('suggestions');
    this.element = el('ul', { className: 'suggestion-list', attrs: { id, role: 'listbox', 'aria-label': `${label}: suggestions` } });
    this.element.hidden = true;
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-controls', id);
    input.setAttribute('aria-expanded', 'false');
    // Keep focus in the input while the pointer picks an option.
    this.element.addEventListener('mousedown', (event) => event.preventDefault());
  }

  get open(): boolean {
    return !this.element.hidden;
  }

  get active(): T | undefined {
    return this.activeIndex >= 0 ? this.items[this.activeIndex] : undefined;
  }

  /** Shows `items` (closes when there are none); `activeFirst` pre-selects the first, as the original does. */
  show(items: readonly T[], activeFirst = false): void {
    this.items = [...items];
    clear(this.element);
    this.options = this.items.map((item, index) => {
      const option = el('li', {
        className: 'suggestion',
        attrs: { id: `${this.element.id}-${index}`, role: 'option', 'aria-selected': 'false' },
        text: this.labelOf(item),
      });
      option.addEventListener('click', () => this.onPick(item));
      option.addEventListener('mousemove', () => this.setActive(index));
      this.element.appendChild(option);
      return option;
    });
    this.element.hidden = this.items.length === 0;
    this.input.setAttribute('aria-expanded', String(this.open));
    this.setActive(activeFirst && this.items.length > 0 ? 0 : -1);
  }

  close(): void {
    this.show([]);
  }

  /** Handles a key pressed in the input; true when the list used it (the caller then does nothing else). */
  handleKey(event: KeyboardEvent): boolean {
    if (!this.open) return false;
    switch (event.key) {
      case 'ArrowDown':
        this.setActive(Math.min(this.items.length - 1, this.activeIndex + 1));
        break;
      case 'ArrowUp':
        this.setActive(Math.max(0, this.activeIndex - 1));
        break;
      case 'Home':
        if (!event.ctrlKey) return false; // plain Home moves the caret
        this.setActive(0);
        break;
      case 'End':
        if (!event.ctrlKey) return false;
        this.setActive(this.items.length - 1);
        break;
      case 'Enter': {
        const item = this.active;
        // Ctrl/Cmd+Enter runs the tool, whatever is highlighted.
        if (item === undefined || event.ctrlKey || event.metaKey) return false;
        this.onPick(item);
        break;
      }
      case 'Escape':
        this.close();
        break;
      default:
        return false;
    }
    event.preventDefault();
    event.stopPropagation();
    return true;
  }

  private setActive(index: number): void {
    this.options[this.activeIndex]?.setAttribute('aria-selected', 'false');
    this.options[this.activeIndex]?.classList.remove('active');
    this.activeIndex = index;
    const option = this.options[index];
    if (option) {
      option.setAttribute('aria-selected', 'true');
      option.classList.add('active');
      this.input.setAttribute('aria-activedescendant', option.id);
      if (typeof option.scrollIntoView === 'function') option.scrollIntoView({ block: 'nearest' });
    } else {
      this.input.removeAttribute('aria-activedescendant');
    }
  }
}
