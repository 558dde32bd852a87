// tool_tags: free-form tags on tools, for filtering. Tags are normalised like the original's API: lowercase,
// letters/digits/'-'/'_', 1–32 characters.
import type { ReadQueries, Store, WriteQueries } from '../types';
import { InvalidValueError } from './errors';
import { requireNonEmpty } from './values';

const TAG_PATTERN = /^[a-z0-9_-]{1,32}$/;

export interface TagCount {
  tag: string;
  count: number;
}

/** Trimmed and lowercased; throws InvalidValueError when anything else is left. */
export function normaliseToolTag(raw: string): string {
  const tag = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  if (!TAG_PATTERN.test(tag)) {
    throw new InvalidValueError(
      `invalid tag "${String(raw)}": use 1–32 characters from a-z, 0-9, '-' and '_'`,
    );
  }
  return tag;
}

/** True when newly added (adding an existing tag is not an error). */
export function addToolTag(q: WriteQueries, toolId: string, rawTag: string): boolean {
  requireNonEmpty(toolId, 'tool id');
  const tag = normaliseToolTag(rawTag);
  return q.run('INSERT OR IGNORE INTO tool_tags(tool_id, tag) VALUES(?, ?)', [toolId, tag]).changes > 0;
}

export function removeToolTag(q: WriteQueries, toolId: string, rawTag: string): boolean {
  const tag = normaliseToolTag(rawTag);
  return q.run('DELETE FROM tool_tags WHERE tool_id = ? AND tag = ?', [toolId, tag]).changes > 0;
}

export function tagsForTool(q: ReadQueries, toolId: string): string[] {
  return q.all<{ tag: string }>('SELECT tag FROM tool_tags WHERE tool_id = ? ORDER BY tag', [toolId]).map((r) => r.tag);
}

/** Every tag in use with how many tools carry it, by tag. */
export function allToolTags(q: ReadQueries): TagCount[] {
  return q
    .all<{ tag: string; n: number }>('SELECT tag, COUNT(*) AS n FROM tool_tags GROUP BY tag ORDER BY tag')
    .map((row) => ({ tag: row.tag, count: Number(row.n) }));
}

export function toolsWithTag(q: ReadQueries, rawTag: string): string[] {
  const tag = normaliseToolTag(rawTag);
  return q.all<{ tool_id: string }>('SELECT tool_id FROM tool_tags WHERE tag = ? ORDER BY tool_id', [tag]).map((r) => r.tool_id);
}

export class ToolTagsRepository {
  constructor(private readonly store: Store) {}

  forTool(toolId: string): string[] {
    return this.store.read((q) => tagsForTool(q, toolId));
  }

  allTags(): TagCount[] {
    return this.store.read(allToolTags);
  }

  toolsWithTag(tag: string): string[] {
    return this.store.read((q) => toolsWithTag(q, tag));
  }

  add(toolId: string, tag: string): Promise<boolean> {
    return this.store.write((q) => addToolTag(q, toolId, tag));
  }

  remove(toolId: string, tag: string): Promise<boolean> {
    return this.store.write((q) => removeToolTag(q, toolId, tag));
  }
}
