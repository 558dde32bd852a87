// The mime-types library, loaded on first use: it builds its tables from mime-db (~2,500 types, ~20 ms) when
// loaded, which at the top of a module would happen while the extension activates.
import { loadOnFirstUse } from './loadOnFirstUse';

export const mimeTable = loadOnFirstUse(
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a require() inside a function is what keeps it lazy in the bundle
  () => require('mime-types') as typeof import('mime-types'),
);
