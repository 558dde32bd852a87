// Leaflet, loaded on first use. Leaflet reads `document` and `window` while its module initialises, so it must not
// load with the input/output modules (tests register those before a DOM exists); in the bundle this import is
// inlined by esbuild, so nothing is fetched.
export type LeafletApi = typeof import('leaflet');

let loading: Promise<LeafletApi> | undefined;

export function loadLeaflet(): Promise<LeafletApi> {
  loading ??= import('leaflet').then((ns) => {
    // The bundle gives the named exports; Node's CommonJS interop may give them under `default` only.
    const withDefault = ns as LeafletApi & { default?: LeafletApi };
    return typeof ns.map === 'function' ? ns : (withDefault.default ?? ns);
  });
  return loading;
}
