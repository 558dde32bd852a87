// Coalesces bursts (a run writes several commits; another window's checkpoint fires '*') into one call. Pure.

export interface Debounced {
  (): void;
  /** Run now if a call is pending. */
  flush(): void;
  cancel(): void;
}

export function debounce(fn: () => void, waitMs: number): Debounced {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = (): void => {
    timer = undefined;
    fn();
  };
  const debounced = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(run, waitMs);
  };
  debounced.flush = (): void => {
    if (timer === undefined) return;
    clearTimeout(timer);
    run();
  };
  debounced.cancel = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  return debounced;
}

/** Which views a commit touching `tables` concerns ('*' = all of them). */
export function viewsForTables(tables: ReadonlySet<string>): { tools: boolean; runs: boolean; artefacts: boolean; validation: boolean } {
  const touches = (...names: string[]): boolean => tables.has('*') || names.some((name) => tables.has(name));
  return {
    tools: touches('tool_state', 'workspaces', 'tool_workspaces', 'tool_tags', 'validation_reports'),
    runs: touches('runs'),
    artefacts: touches('artefacts', 'runs'),
    validation: touches('validation_reports'),
  };
}
