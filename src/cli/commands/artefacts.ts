// `pixie artefacts`: the files runs produced, newest first, each with its absolute path (resolved through the
// artefacts root's safety checks, so a crafted rel_path is reported, never followed). Other artefact verbs are
// added under the returned command.
import type { Command } from 'commander';
import { configFrom, openForRead, withStore } from '../context';
import { formatBytes, printJson, renderTable, truncate } from '../format';
import { parsePositiveInt } from './runs';
import { artefactPath } from './run';
import { listArtefacts } from '../../core/store/repositories/artefacts';

export function registerArtefacts(program: Command): Command {
  return program
    .command('artefacts')
    .description('List artefacts (files produced by runs), newest first.')
    .option('--tool <id>', 'only artefacts of this tool')
    .option('--run <id>', 'only artefacts of this run')
    .option('--deleted', 'include soft-deleted artefacts')
    .option('--limit <n>', 'at most N artefacts', '50')
    .option('--json', 'print the result as JSON')
    .action(async (options: { tool?: string; run?: string; deleted?: boolean; limit: string; json?: boolean }, command: Command) => {
      const limit = parsePositiveInt(options.limit, '--limit');
      const config = configFrom(command);
      const rows = await withStore(openForRead(config), (store) =>
        store.read((q) => listArtefacts(q, { toolId: options.tool, runId: options.run, includeDeleted: options.deleted, limit })),
      );
      const items = rows.map((a) => ({
        id: a.id,
        runId: a.runId,
        toolId: a.toolId,
        outputKey: a.outputKey,
        filename: a.filename,
        size: a.sizeBytes,
        mime: a.mime,
        sha256: a.sha256,
        createdAt: a.createdAt,
        starred: a.starred,
        label: a.label,
        tags: a.tags,
        deletedAt: a.deletedAt,
        path: artefactPath(config.artefactsRoot, a.relPath),
      }));
      if (options.json) {
        printJson(items);
        return;
      }
      if (items.length === 0) {
        console.log('No artefacts.');
        return;
      }
      console.log(
        renderTable(
          ['id', 'run', 'output', 'filename', 'size', 'mime', '★/label', 'path'],
          items.map((a) => [
            a.id,
            a.runId,
            a.outputKey,
            truncate(a.filename, 32),
            formatBytes(a.size),
            a.mime,
            [a.starred ? '★' : '', a.label ?? '', a.deletedAt ? '(deleted)' : ''].filter(Boolean).join(' '),
            a.path,
          ]),
        ),
      );
    });
}
