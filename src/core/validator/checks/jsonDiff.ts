// Where two JSON documents differ, as paths (`inputs[2].default`), key order ignored.
import { joinPath } from '../../tools/shape';

export interface JsonDifference {
  path: string;
  /** 'changed' | 'missing' (only on disk) | 'added' (only served). */
  kind: 'changed' | 'missing' | 'added';
  disk?: unknown;
  served?: unknown;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function jsonDifferences(disk: unknown, served: unknown, limit = 20): { differences: JsonDifference[]; total: number } {
  const out: JsonDifference[] = [];
  let total = 0;
  const add = (d: JsonDifference): void => {
    total++;
    if (out.length < limit) out.push(d);
  };
  const walk = (a: unknown, b: unknown, path: string): void => {
    if (isRecord(a) && isRecord(b)) {
      for (const key of Object.keys(a).sort()) {
        const p = joinPath(path, key);
        if (!Object.hasOwn(b, key)) add({ path: p, kind: 'missing', disk: a[key] });
        else walk(a[key], b[key], p);
      }
      for (const key of Object.keys(b).sort()) if (!Object.hasOwn(a, key)) add({ path: joinPath(path, key), kind: 'added', served: b[key] });
      return;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      const n = Math.max(a.length, b.length);
      for (let i = 0; i < n; i++) {
        const p = `${path}[${i}]`;
        if (i >= b.length) add({ path: p, kind: 'missing', disk: a[i] });
        else if (i >= a.length) add({ path: p, kind: 'added', served: b[i] });
        else walk(a[i], b[i], p);
      }
      return;
    }
    if (!Object.is(a, b) && !(typeof a === 'number' && a === b)) add({ path: path || '(root)', kind: 'changed', disk: a, served: b });
  };
  walk(disk, served, '');
  return { differences: out, total };
}
