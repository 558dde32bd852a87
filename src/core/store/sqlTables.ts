// Which tables a statement writes, for change events. Cascades are listed so views of child tables refresh too.

const WRITE_TARGET =
  /^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM|CREATE\s+TABLE(?:\s+IF\s+NOT\s+EXISTS)?|ALTER\s+TABLE|DROP\s+TABLE(?:\s+IF\s+EXISTS)?)\s+["`[]?(\w+)/i;

const CASCADES: Record<string, string[]> = {
  workspaces: ['tool_workspaces'],
  runs: ['artefacts'],
};

export function tablesWritten(sql: string): string[] {
  const match = WRITE_TARGET.exec(sql);
  if (!match) return [];
  const table = match[1].toLowerCase();
  return [table, ...(CASCADES[table] ?? [])];
}
