// The form layout puts the inputs beside the outputs; a narrow panel (an editor split, a small window) stacks them.
// The panel's own width decides, not the window's: a ResizeObserver sets `narrow` on the panel below 900 px.
export const NARROW_PANEL_PX = 900;

interface ResizeObserverLike {
  observe(target: Element): void;
  disconnect(): void;
}

type ResizeObserverClass = new (callback: (entries: readonly { contentRect: { width: number } }[]) => void) => ResizeObserverLike;

/** Keeps the `narrow` class of `panel` up to date; returns the function that stops watching. */
export function watchNarrow(panel: HTMLElement): () => void {
  const apply = (width: number): void => {
    // 0: not laid out (detached, hidden): keep the last decision.
    if (width > 0) panel.classList.toggle('narrow', width < NARROW_PANEL_PX);
  };
  const Observer = (globalThis as { ResizeObserver?: ResizeObserverClass }).ResizeObserver;
  if (typeof Observer === 'function') {
    const observer = new Observer((entries) => {
      const last = entries.at(-1);
      if (last) apply(last.contentRect.width);
    });
    observer.observe(panel);
    return () => observer.disconnect();
  }
  const view = panel.ownerDocument.defaultView;
  if (!view) return () => undefined;
  const onResize = (): void => apply(panel.getBoundingClientRect().width);
  view.addEventListener('resize', onResize);
  onResize();
  return () => view.removeEventListener('resize', onResize);
}
