// A tab strip for a group of `layout: "tab"` outputs (WAI-ARIA tabs pattern: arrow keys, Home/End, automatic
// activation). Every panel stays in the DOM — hidden, not removed — so an output streaming into a hidden tab keeps
// updating; such a tab gets a dot until it is looked at.
import { el, uniqueId } from '../dom';

interface Tab {
  key: string;
  button: HTMLButtonElement;
  panel: HTMLElement;
  unseen: HTMLElement;
}

export class OutputTabs {
  readonly element: HTMLElement;
  private readonly tabs: Tab[] = [];
  private selected = 0;

  constructor(items: readonly { key: string; label: string; content: HTMLElement }[]) {
    const list = el('div', { className: 'output-tablist', attrs: { role: 'tablist', 'aria-label': 'Outputs' } });
    const panels = el('div', { className: 'output-tabpanels' });
    for (const [index, item] of items.entries()) {
      const tabId = uniqueId('output-tab');
      const panelId = `${tabId}-panel`;
      const unseen = el('span', { className: 'output-tab-dot', attrs: { title: 'New output' } }, el('span', { className: 'sr-only', text: ' (new output)' }));
      unseen.hidden = true;
      const button = el(
        'button',
        { className: 'output-tab', attrs: { type: 'button', role: 'tab', id: tabId, 'aria-controls': panelId, 'data-output-key': item.key } },
        el('span', { className: 'output-tab-label', text: item.label }),
        unseen,
      );
      button.addEventListener('click', () => this.select(index));
      button.addEventListener('keydown', (event) => this.onKey(event, index));
      const panel = el('div', { className: 'output-tabpanel', attrs: { role: 'tabpanel', id: panelId, 'aria-labelledby': tabId, tabindex: 0 } }, item.content);
      list.appendChild(button);
      panels.appendChild(panel);
      this.tabs.push({ key: item.key, button, panel, unseen });
    }
    this.element = el('div', { className: 'output-tabs' }, list, panels);
    this.paint();
  }

  get selectedKey(): string | undefined {
    return this.tabs[this.selected]?.key;
  }

  select(index: number): void {
    if (index < 0 || index >= this.tabs.length) return;
    const changed = index !== this.selected;
    this.selected = index;
    this.tabs[index].unseen.hidden = true;
    this.paint();
    // Charts and maps measure their box when drawn; one drawn in a hidden panel has none until it is shown.
    const view = this.element.ownerDocument.defaultView;
    if (changed && view) view.dispatchEvent(new (view as unknown as { Event: typeof Event }).Event('resize'));
  }

  selectKey(key: string): void {
    this.select(this.tabs.findIndex((t) => t.key === key));
  }

  /** An output got new content: a dot on its tab when that tab is not the one on show. */
  changed(key: string): void {
    const index = this.tabs.findIndex((t) => t.key === key);
    if (index >= 0 && index !== this.selected) this.tabs[index].unseen.hidden = false;
  }

  clearMarks(): void {
    for (const tab of this.tabs) tab.unseen.hidden = true;
  }

  private paint(): void {
    for (const [index, tab] of this.tabs.entries()) {
      const on = index === this.selected;
      tab.button.setAttribute('aria-selected', String(on));
      tab.button.tabIndex = on ? 0 : -1;
      tab.button.classList.toggle('selected', on);
      tab.panel.hidden = !on;
    }
  }

  private onKey(event: KeyboardEvent, index: number): void {
    const last = this.tabs.length - 1;
    const target =
      event.key === 'ArrowRight' ? (index === last ? 0 : index + 1)
      : event.key === 'ArrowLeft' ? (index === 0 ? last : index - 1)
      : event.key === 'Home' ? 0
      : event.key === 'End' ? last
      : -1;
    if (target < 0) return;
    event.preventDefault();
    this.select(target);
    this.tabs[target].button.focus();
  }
}
