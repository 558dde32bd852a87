// Some libraries do real work when loaded (mime-types builds its tables from mime-db's ~2,500 types, yaml sets up
// its whole parser): required at the top of a module, that work lands in the extension's activation. Wrapping the
// require() in a function keeps it out: esbuild still bundles the library but runs its top-level code only on
// the first call. Pure.

/** A getter that runs `load` on its first call and returns the same value ever after. */
export function loadOnFirstUse<T>(load: () => T): () => T {
  let loaded: { value: T } | undefined;
  return () => {
    loaded ??= { value: load() };
    return loaded.value;
  };
}
