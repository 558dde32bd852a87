// The store tests run against: the real engine (`openStore` in src/core/store/open.ts) on a temp dir when that
// module exists and exports it, else the in-memory store. PIXIE_TEST_STORE=memory forces the memory store,
// PIXIE_TEST_STORE=engine makes a missing engine an error instead of a silent fallback.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Store } from '../../src/core/store/types';
import { createMemoryStore } from './memoryStore';

export interface TestStore {
  store: Store;
  /** 'engine' or 'memory': lets a test report which one it exercised. */
  kind: 'engine' | 'memory';
  /** Temp dir holding pixie.db (engine only). */
  dir: string | undefined;
  cleanup(): Promise<void>;
}

type OpenStore = (options: { dbPath: string }) => Store | Promise<Store>;

const OPEN_MODULE = path.resolve(__dirname, '../../src/core/store/open.ts');

async function loadOpenStore(): Promise<OpenStore | undefined> {
  if (!fs.existsSync(OPEN_MODULE)) return undefined;
  // Imported by URL so this file compiles while open.ts does not exist yet.
  const mod: unknown = await import(pathToFileURL(OPEN_MODULE).href);
  if (typeof mod !== 'object' || mod === null || !('openStore' in mod)) return undefined;
  const openStore: unknown = mod.openStore;
  return typeof openStore === 'function' ? (openStore as OpenStore) : undefined;
}

export async function createTestStore(): Promise<TestStore> {
  const wanted = process.env.PIXIE_TEST_STORE;
  const openStore = wanted === 'memory' ? undefined : await loadOpenStore();
  if (!openStore) {
    if (wanted === 'engine') throw new Error(`PIXIE_TEST_STORE=engine but ${OPEN_MODULE} does not export openStore`);
    const store = await createMemoryStore();
    return { store, kind: 'memory', dir: undefined, cleanup: () => store.close() };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-'));
  try {
    const store = await openStore({ dbPath: path.join(dir, 'pixie.db') });
    return {
      store,
      kind: 'engine',
      dir,
      cleanup: async () => {
        try {
          await store.close();
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
