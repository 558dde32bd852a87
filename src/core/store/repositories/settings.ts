// settings: a flat key → text table (UI preferences, process-wide state). Keys are the original's (§5.3).
import type { ReadQueries, Store, WriteQueries } from '../types';
import { parseJson, requireNonEmpty } from './values';

export function getSetting(q: ReadQueries, key: string): string | undefined {
  return q.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [key])?.value;
}

export function getAllSettings(q: ReadQueries): Record<string, string> {
  const result: Record<string, string> = {};
  for (const row of q.all<{ key: string; value: string }>('SELECT key, value FROM settings ORDER BY key')) {
    result[row.key] = row.value;
  }
  return result;
}

export function setSetting(q: WriteQueries, key: string, value: string): void {
  requireNonEmpty(key, 'setting key');
  q.run('INSERT INTO settings(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value', [
    key,
    value,
  ]);
}

/** Returns whether the key existed. */
export function deleteSetting(q: WriteQueries, key: string): boolean {
  return q.run('DELETE FROM settings WHERE key = ?', [key]).changes > 0;
}

/** Parsed JSON value; undefined when missing or not valid JSON. */
export function getJsonSetting(q: ReadQueries, key: string): unknown {
  const text = getSetting(q, key);
  return text === undefined ? undefined : parseJson(text);
}

export function setJsonSetting(q: WriteQueries, key: string, value: unknown): void {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`setting ${key}: value cannot be stored as JSON`);
  setSetting(q, key, text);
}

export class SettingsRepository {
  constructor(private readonly store: Store) {}

  get(key: string): string | undefined {
    return this.store.read((q) => getSetting(q, key));
  }

  getAll(): Record<string, string> {
    return this.store.read(getAllSettings);
  }

  getJson(key: string): unknown {
    return this.store.read((q) => getJsonSetting(q, key));
  }

  set(key: string, value: string): Promise<void> {
    return this.store.write((q) => setSetting(q, key, value));
  }

  setJson(key: string, value: unknown): Promise<void> {
    return this.store.write((q) => setJsonSetting(q, key, value));
  }

  delete(key: string): Promise<boolean> {
    return this.store.write((q) => deleteSetting(q, key));
  }
}
