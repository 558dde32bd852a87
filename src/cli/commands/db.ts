import type { Command } from 'commander';
import { configFrom, openForRead, withStore } from '../context';
import { importSqliteWal } from '../../core/store/open';
import { CliFailure } from '../errors';
import { formatBytes, printJson, renderTable } from '../format';

export function registerDb(program: Command): void {
  const db = program.command('db').description('Inspect and maintain pixie.db.');

  db.command('info')
    .description('Path, size, tables with row counts, redo-log records not yet folded, and the writer-lock holder.')
    .option('--json', 'print the result as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const config = configFrom(command);
      const report = await withStore(openForRead(config), (store) => {
        const info = store.info();
        const tables = store.tableNames().map((name) => ({
          name,
          rows: store.read((q) => Number(q.get<{ n: number }>(`SELECT count(*) AS n FROM "${name.replace(/"/g, '""')}"`)?.n ?? 0)),
        }));
        return { ...info, tables };
      });
      if (options.json) {
        printJson(report);
        return;
      }
      console.log(`Database:     ${report.dbPath} (${formatBytes(report.fileBytes)})`);
      console.log(`Redo log:     ${report.logPath} (${formatBytes(report.logBytes)}, ${report.pendingLogRecords} record(s) not yet folded)`);
      console.log(`Writer lock:  ${report.lockHolder ? `held by pid ${report.lockHolder.pid} on ${report.lockHolder.host} since ${report.lockHolder.time}` : 'free'}`);
      if (report.readOnlyReason) console.log(`Read-only:    ${report.readOnlyReason}`);
      console.log('');
      console.log(renderTable(['table', 'rows'], report.tables.map((table) => [table.name, table.rows])));
    });

  db.command('import-wal')
    .description('Fold a SQLite write-ahead log (pixie.db-wal left by the original Pixie or another SQLite program) into pixie.db.')
    .option('--json', 'print the result as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const config = configFrom(command);
      const result = await withStore(openForRead(config), async (store) => {
        if (!store.readOnlyReason) throw new CliFailure(`there is no SQLite WAL beside ${config.dbPath}; nothing to import.`);
        return importSqliteWal(store);
      });
      if (options.json) {
        printJson(result);
        return;
      }
      console.log(
        `Imported ${result.transactions} transaction(s) (${result.framesApplied} pages) from pixie.db-wal into ${config.dbPath} ` +
          `(${formatBytes(result.fileBytes)}); pixie.db-wal and pixie.db-shm removed.` +
          (result.framesIgnored > 0 ? ` ${result.framesIgnored} uncommitted frame(s) were ignored.` : ''),
      );
    });
}
