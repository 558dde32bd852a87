// The baseline's "other writer": a process writing to a pixie.db through native SQLite every `intervalMs`, reporting
// how long each write waited for the database lock, in the same line protocol as the sql.js probe of
// test/integration/helpers/sweeperWorker.ts ("ready", then "wait <ms waited> <epoch ms asked>"). The wait is the
// time BEGIN IMMEDIATE took, i.e. until this writer held SQLite's write lock.
// Run: node --import tsx bench/lib/nativeWriteProbe.ts <pixie.db> <durationMs> <intervalMs>   (ends on SIGTERM)
import fs from 'node:fs';
import { loadNativeSqlite } from './nativeSqlite';

const say = (line: string): void => {
  fs.writeSync(1, `${line}\n`);
};

async function main(): Promise<void> {
  const [dbPath, durationText, intervalText] = process.argv.slice(2);
  const durationMs = Number(durationText);
  const intervalMs = Number(intervalText);
  if (!dbPath || !(durationMs > 0) || !(intervalMs >= 0)) throw new Error('usage: nativeWriteProbe.ts <db> <durationMs> <intervalMs>');
  const Database = loadNativeSqlite();
  const db = new Database(dbPath, { timeout: 30_000 });
  const write = db.prepare("INSERT INTO settings(key, value) VALUES('probe.counter', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  say('ready');
  let stopped = false;
  process.on('SIGTERM', () => {
    stopped = true;
  });
  const end = Date.now() + durationMs;
  for (let n = 0; !stopped && Date.now() < end; n++) {
    const askedAt = Date.now();
    const asked = performance.now();
    db.exec('BEGIN IMMEDIATE');
    say(`wait ${(performance.now() - asked).toFixed(2)} ${askedAt}`);
    write.run(String(n));
    db.exec('COMMIT');
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  db.close();
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
