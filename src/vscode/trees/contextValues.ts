// Every tree item's `contextValue` is built here, and nowhere else: package.json `when` clauses match these
// strings (`viewItem =~ /^tool\b/ && viewItem =~ /\+favourite\b/`), so the vocabulary lives in one place.
// Every flag of the kind is written, `+flag` when on and `-flag` when off, because when clauses have no
// "does not match" operator: "not favourite" is `viewItem =~ /-favourite\b/`.
// Pure: the unit tests check package.json's menus only use kinds and flags listed here.

export const CONTEXT_FLAGS = {
  tool: ['favourite', 'pinned', 'archived', 'running', 'broken', 'inWorkspace', 'hasReport', 'first', 'last'],
  workspace: ['first', 'last'],
  otherGroup: [],
  run: ['starred', 'labelled', 'running', 'failed', 'hasError'],
  runGroup: [],
  artefact: ['starred', 'labelled', 'deleted'],
  artefactRun: [],
  artefactTool: [],
  loadMore: [],
  message: [],
} as const;

export type NodeKind = keyof typeof CONTEXT_FLAGS;
export type FlagOf<K extends NodeKind> = (typeof CONTEXT_FLAGS)[K][number];

/** `kind +flag -flag …`: every flag of the kind in the fixed order of CONTEXT_FLAGS (stable strings, easy regexes). */
export function contextValue<K extends NodeKind>(kind: K, flags: Partial<Record<FlagOf<K>, boolean>> = {}): string {
  const known: readonly string[] = CONTEXT_FLAGS[kind];
  const marks = known.map((flag) => `${(flags as Record<string, boolean | undefined>)[flag] === true ? '+' : '-'}${flag}`);
  return [kind, ...marks].join(' ');
}

/** The `when` fragment that matches items of `kind` (optionally with or without a flag). */
export function whenItem<K extends NodeKind>(kind: K, flag?: FlagOf<K>, present = true): string {
  const base = `viewItem =~ /^${kind}\\b/`;
  if (flag === undefined) return base;
  return `${base} && viewItem =~ /${present ? '\\+' : '-'}${flag}\\b/`;
}
