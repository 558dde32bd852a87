// The store engine in one process (two store instances stand in for two windows): commits, rollbacks,
// constraints, change events, checkpoints, info(), and what it does with damaged or foreign files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openStore } from '../../src/core/store/open';
import { ALL_TABLES_MARKER, SqlJsStore } from '../../src/core/store/engine';
import { StoreCorruptError, StoreError } from '../../src/core/store/errors';
import { LOG_HEADER_SIZE, RedoLog } from '../../src/core/store/redoLog';
import { WriterLock } from '../../src/core/store/writerLock';
import type { StoreChange } from '../../src/core/store/types';
import { withNative, nativeIntegrityCheck } from '../integration/helpers/realSqlite';
import { deadPid, withTemp } from '../integration/helpers/storeFiles';

const SETTINGS = 'CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)';
const PARENT = 'CREATE TABLE parent (id TEXT PRIMARY KEY)';
const CHILD = 'CREATE TABLE child (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL REFERENCES parent(id))';


function setting(store: SqlJsStore, key: string): string | undefined {
  return store.read((q) => q.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [key]))?.value;
}

function logSize(store: SqlJsStore): number {
  return fs.existsSync(store.logPath) ? fs.statSync(store.logPath).size : 0;
}

test('a commit is durable: visible after reopening, and to a store opened before it without a checkpoint', async () => {
  await withTemp(async ({ dbPath }, open) => {
    const a = await open();
    const b = await open();
    await a.write((q) => {
      q.run(SETTINGS);
      q.run('INSERT INTO settings (key, value) VALUES (?, ?)', ['theme', 'dark']);
    });
    assert.equal(a.info().checkpointLsn, 0, 'still only in the redo log');
    assert.equal(setting(b, 'theme'), 'dark', 'read() catches up with the log');
    const c = await SqlJsStore.open({ dbPath });
    assert.equal(setting(c, 'theme'), 'dark', 'a fresh open replays the log');
    await c.close();
    await a.close();
    const d = await open();
    assert.equal(setting(d, 'theme'), 'dark');
    assert.equal(d.info().pendingLogRecords, 0, 'close folded the log into pixie.db');
  });
});

test('fn throwing rolls back: its error reaches the caller, nothing is logged, the lsn is unchanged', async () => {
  await withTemp(async (_db, open) => {
    const store = await open();
    await store.write((q) => q.run(SETTINGS));
    const before = { lsn: store.info().lsn, log: logSize(store) };
    const boom = new Error('boom');
    await assert.rejects(
      store.write((q) => {
        q.run("INSERT INTO settings (key, value) VALUES ('a', '1')");
        throw boom;
      }),
      (error) => error === boom,
    );
    assert.equal(setting(store, 'a'), undefined);
    assert.equal(store.info().lsn, before.lsn);
    assert.equal(logSize(store), before.log);
    // The store still works after the rollback.
    assert.equal(await store.write((q) => q.run("INSERT INTO settings (key, value) VALUES ('b', '2')").changes), 1);
    assert.equal(store.info().lsn, before.lsn + 1);
  });
});

test('a foreign-key violation rejects and logs nothing; foreign keys hold after reopening and after a checkpoint', async () => {
  await withTemp(async (_db, open) => {
    const store = await open();
    await store.write((q) => {
      q.run(PARENT);
      q.run(CHILD);
      q.run("INSERT INTO parent (id) VALUES ('p1')");
    });
    const orphan = (s: SqlJsStore) => s.write((q) => q.run("INSERT INTO child (id, parent_id) VALUES ('c1', 'missing')"));
    const before = { lsn: store.info().lsn, log: logSize(store) };
    await assert.rejects(orphan(store), /FOREIGN KEY constraint failed/);
    assert.equal(store.info().lsn, before.lsn);
    assert.equal(logSize(store), before.log);
    assert.equal(store.read((q) => q.get<{ n: number }>('SELECT count(*) AS n FROM child'))?.n, 0);

    await store.checkpoint(); // export() closes and reopens the database inside sql.js
    assert.equal(store.read((q) => q.get<{ foreign_keys: number }>('PRAGMA foreign_keys'))?.foreign_keys, 1);
    await assert.rejects(orphan(store), /FOREIGN KEY constraint failed/);
    await store.close();

    const reopened = await open();
    assert.equal(reopened.read((q) => q.get<{ foreign_keys: number }>('PRAGMA foreign_keys'))?.foreign_keys, 1);
    await assert.rejects(orphan(reopened), /FOREIGN KEY constraint failed/);
    await reopened.write((q) => q.run("INSERT INTO child (id, parent_id) VALUES ('c2', 'p1')"));
    await assert.rejects(reopened.write((q) => q.run("DELETE FROM parent WHERE id = 'p1'")), /FOREIGN KEY constraint failed/);
  });
});

test('non-finite numbers are refused before anything runs or is logged', async () => {
  await withTemp(async (_db, open) => {
    const store = await open();
    await store.write((q) => q.run('CREATE TABLE nums (x REAL)'));
    const log = logSize(store);
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      await assert.rejects(
        store.write((q) => {
          q.run('INSERT INTO nums (x) VALUES (1)');
          q.run('INSERT INTO nums (x) VALUES (?)', [bad]);
        }),
        (error: Error) => error instanceof StoreError && error.message.includes(`non-finite number (${bad})`),
      );
    }
    assert.equal(logSize(store), log);
    assert.equal(store.read((q) => q.get<{ n: number }>('SELECT count(*) AS n FROM nums'))?.n, 0);
  });
});

test('rowids chosen by SQLite come out the same when another process replays the log', async () => {
  await withTemp(async (_db, open) => {
    const a = await open();
    const ids = await a.write((q) => {
      q.run('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
      return [1, 2, 3].map((n) => q.run('INSERT INTO notes (text) VALUES (?)', [`note ${n}`]).lastInsertRowid);
    });
    await a.write((q) => q.run('DELETE FROM notes WHERE id = ?', [ids[1]]));
    const more = await a.write((q) => q.run("INSERT INTO notes (text) VALUES ('later')").lastInsertRowid);
    const b = await open();
    const rows = b.read((q) => q.all<{ id: number; text: string }>('SELECT id, text FROM notes ORDER BY id'));
    assert.deepEqual(rows, [
      { id: ids[0], text: 'note 1' },
      { id: ids[2], text: 'note 3' },
      { id: more, text: 'later' },
    ]);
  });
});

test('writes from one store are queued: concurrent calls all commit, in order', async () => {
  await withTemp(async (_db, open) => {
    const store = await open();
    await store.write((q) => q.run('CREATE TABLE seq (n INTEGER NOT NULL)'));
    await Promise.all(Array.from({ length: 20 }, (_, n) => store.write((q) => q.run('INSERT INTO seq (n) VALUES (?)', [n]))));
    const ns = store.read((q) => q.all<{ n: number }>('SELECT n FROM seq ORDER BY rowid')).map((row) => row.n);
    assert.deepEqual(ns, Array.from({ length: 20 }, (_, n) => n));
    assert.equal(store.info().lsn, 21);
  });
});

test('local change events name the written tables; rolled-back and empty writes fire none', async () => {
  await withTemp(async (_db, open) => {
    const store = await open();
    const events: StoreChange[] = [];
    const subscription = store.onDidChange((change) => events.push(change));
    await store.write((q) => {
      q.run(SETTINGS);
      q.run(PARENT);
    });
    await store.write((q) => {
      q.run("INSERT INTO settings (key, value) VALUES ('a', '1')");
      q.run("INSERT INTO parent (id) VALUES ('p')");
    });
    await store.write((q) => q.get('SELECT 1'));
    await store.write(() => {
      throw new Error('no');
    }).catch(() => undefined);
    assert.deepEqual(
      events.map((event) => ({ tables: [...event.tables].sort(), external: event.external })),
      [
        { tables: ['parent', 'settings'], external: false },
        { tables: ['parent', 'settings'], external: false },
      ],
    );
    subscription.dispose();
    await store.write((q) => q.run("UPDATE settings SET value = '2'"));
    assert.equal(events.length, 2, 'disposed listeners hear nothing');
  });
});

test("another store sees a commit through refresh(), as an external change naming the tables", async () => {
  await withTemp(async (_db, open) => {
    const a = await open();
    await a.write((q) => q.run(SETTINGS));
    const b = await open();
    const events: StoreChange[] = [];
    b.onDidChange((change) => events.push(change));
    await a.write((q) => q.run("INSERT INTO settings (key, value) VALUES ('k', 'v')"));
    assert.equal(events.length, 0, 'nothing is noticed before a refresh (no watcher)');
    b.refresh();
    assert.deepEqual(events.map((event) => ({ tables: [...event.tables], external: event.external })), [{ tables: ['settings'], external: true }]);
    assert.equal(setting(b, 'k'), 'v');

    // A checkpoint by A replaces pixie.db: B reloads and reports that anything may have changed.
    await a.write((q) => q.run("INSERT INTO settings (key, value) VALUES ('k2', 'v2')"));
    await a.checkpoint();
    b.refresh();
    assert.deepEqual([...events[1].tables], [ALL_TABLES_MARKER]);
    assert.equal(events[1].external, true);
    assert.equal(setting(b, 'k2'), 'v2');
  });
});

test('with watch: true a store notices another store\'s commit by itself', async () => {
  await withTemp(async (_db, open) => {
    const a = await open();
    await a.write((q) => q.run(SETTINGS));
    const b = await open({ watch: true, pollIntervalMs: 200 });
    const seen = new Promise<StoreChange>((resolve) => b.onDidChange(resolve));
    await a.write((q) => q.run("INSERT INTO settings (key, value) VALUES ('w', '1')"));
    const change = await Promise.race([seen, sleep(3_000).then(() => undefined)]);
    assert.ok(change, 'no change event within 3 s');
    assert.equal(change.external, true);
    assert.deepEqual([...change.tables], ['settings']);
    assert.equal(setting(b, 'w'), '1');
  });
});

test('an idle store checkpoints about idleCheckpointMs after its last commit', async () => {
  await withTemp(async ({ dbPath }, open) => {
    const idleMs = 400;
    const store = await open({ idleCheckpointMs: idleMs });
    await store.write((q) => q.run(SETTINGS));
    await store.write((q) => q.run("INSERT INTO settings (key, value) VALUES ('a', '1')"));
    const lastCommit = performance.now();
    assert.equal(store.info().pendingLogRecords, 2, 'not folded at once');
    const deadline = Date.now() + 5_000;
    while (store.info().pendingLogRecords > 0 && Date.now() < deadline) await sleep(20);
    const foldedAfter = performance.now() - lastCommit;
    const info = store.info();
    assert.equal(info.pendingLogRecords, 0, 'folded while idle');
    assert.ok(foldedAfter >= idleMs - 5, `folded after ${Math.round(foldedAfter)} ms, before the idle delay`);
    assert.equal(info.checkpointLsn, 2);
    assert.equal(info.logBytes, LOG_HEADER_SIZE, 'the log is reset to its header');
    assert.equal(withNative(dbPath, (db) => (db.prepare("SELECT value FROM settings WHERE key = 'a'").get() as { value: string }).value), '1');
  });
});

test('close() checkpoints what is pending; the file then has everything', async () => {
  await withTemp(async ({ dbPath }, open) => {
    const store = await open();
    await store.write((q) => q.run(SETTINGS));
    for (let i = 0; i < 5; i++) await store.write((q) => q.run('INSERT INTO settings (key, value) VALUES (?, ?)', [`k${i}`, `v${i}`]));
    assert.equal(fs.existsSync(dbPath), false, 'nothing was folded before close');
    await store.close();
    assert.equal(fs.statSync(`${dbPath}.redo`).size, LOG_HEADER_SIZE);
    assert.equal(withNative(dbPath, (db) => (db.prepare('SELECT count(*) AS n FROM settings').get() as { n: number }).n), 5);
    await assert.rejects(store.write(() => undefined), /closed/);
    assert.throws(() => store.read(() => undefined), /closed/);
  });
});

test('checkpoint thresholds: after checkpointMaxRecords commits, and when the log passes checkpointMaxBytes', async () => {
  await withTemp(async (_db, open) => {
    const store = await open({ checkpointMaxRecords: 4 });
    await store.write((q) => q.run(SETTINGS));
    for (let i = 1; i <= 2; i++) await store.write((q) => q.run('INSERT INTO settings (key, value) VALUES (?, ?)', [`a${i}`, 'x']));
    assert.equal(store.info().pendingLogRecords, 3);
    await store.write((q) => q.run("INSERT INTO settings (key, value) VALUES ('a3', 'x')"));
    assert.deepEqual([store.info().pendingLogRecords, store.info().checkpointLsn], [0, 4]);
    for (let i = 4; i <= 7; i++) await store.write((q) => q.run('INSERT INTO settings (key, value) VALUES (?, ?)', [`a${i}`, 'x']));
    assert.deepEqual([store.info().pendingLogRecords, store.info().checkpointLsn], [0, 8]);
  });
  await withTemp(async (_db, open) => {
    const store = await open({ checkpointMaxBytes: 20_000 });
    await store.write((q) => q.run(SETTINGS));
    let i = 0;
    while (store.info().checkpointLsn === 0 && i < 100) {
      i += 1;
      await store.write((q) => q.run('INSERT INTO settings (key, value) VALUES (?, ?)', [`b${i}`, 'y'.repeat(3_000)]));
    }
    assert.ok(i >= 6 && i <= 7, `checkpointed after ${i} commits of ~3 KB (limit 20 KB)`);
    assert.equal(store.info().logBytes, LOG_HEADER_SIZE);
  });
});

test('info() reports paths, sizes, sequence numbers, the checkpoint id and the lock holder', async () => {
  await withTemp(async ({ dbPath }, open) => {
    const store = await open();
    const empty = store.info();
    assert.deepEqual(
      { ...empty },
      {
        dbPath,
        logPath: `${dbPath}.redo`,
        lockPath: `${dbPath}.lck`,
        fileBytes: 0,
        logBytes: 0,
        pendingLogRecords: 0,
        lsn: 0,
        checkpointLsn: 0,
        checkpointId: '',
        readOnlyReason: undefined,
        lockHolder: undefined,
      },
    );
    await store.write((q) => q.run(SETTINGS));
    await store.write((q) => q.run("INSERT INTO settings (key, value) VALUES ('a', '1')"));
    let info = store.info();
    assert.equal(info.lsn, 2);
    assert.equal(info.pendingLogRecords, 2);
    // logBytes counts the records, not the zeros the log is grown with ahead of them.
    const records = new RedoLog(`${dbPath}.redo`).read(LOG_HEADER_SIZE);
    assert.equal(info.logBytes, records.validEnd);
    assert.ok(info.logBytes > LOG_HEADER_SIZE && info.logBytes <= fs.statSync(`${dbPath}.redo`).size);

    const result = await store.checkpoint();
    assert.deepEqual({ folded: result.foldedRecords, lsn: result.lsn }, { folded: 2, lsn: 2 });
    info = store.info();
    assert.equal(info.checkpointLsn, 2);
    assert.equal(info.pendingLogRecords, 0);
    assert.equal(info.fileBytes, fs.statSync(dbPath).size);
    assert.equal(info.fileBytes, result.fileBytes);
    assert.match(info.checkpointId, /^[0-9a-f]{16}$/);
    assert.equal((await store.checkpoint()).foldedRecords, 0, 'nothing to fold: the file is not rewritten');
    assert.equal(store.info().checkpointId, info.checkpointId);

    const other = new WriterLock(`${dbPath}.lck`, 1_000);
    await other.acquire();
    try {
      const holder = store.info().lockHolder;
      assert.equal(holder?.pid, process.pid);
      assert.equal(holder?.host, os.hostname());
      assert.match(holder?.nonce ?? '', /^[0-9a-f]{16}-[0-9a-z]+$/);
    } finally {
      other.release();
    }
    assert.equal(store.info().lockHolder, undefined);
  });
});

test('leftover temp files of dead processes are removed at open; a live process\'s are kept', async () => {
  await withTemp(async ({ dir }, open) => {
    const dead = path.join(dir, `.pixie.db.tmp-${deadPid()}-0a1b2c3d`);
    const live = path.join(dir, `.pixie.db.tmp-${process.pid}-99887766`);
    const unrelated = path.join(dir, '.other.db.tmp-1-x');
    for (const file of [dead, live, unrelated]) fs.writeFileSync(file, 'partial image');
    await open();
    assert.equal(fs.existsSync(dead), false);
    assert.equal(fs.existsSync(live), true);
    assert.equal(fs.existsSync(unrelated), true);
  });
});

/** A pixie.db with a few pages of data, closed (everything folded). */
async function makeFile(dbPath: string): Promise<Buffer> {
  const store = await SqlJsStore.open({ dbPath });
  await store.write((q) => {
    q.run(SETTINGS);
    for (let i = 0; i < 40; i++) q.run('INSERT INTO settings (key, value) VALUES (?, ?)', [`k${i}`, 'v'.repeat(1_000)]);
  });
  await store.close();
  return fs.readFileSync(dbPath);
}

test('a truncated pixie.db is refused with StoreCorruptError and left byte for byte as it was', async () => {
  await withTemp(async ({ dbPath }) => {
    const good = await makeFile(dbPath);
    const pageSize = good.readUInt16BE(16);
    assert.equal(pageSize, 8192, 'new files use 8 KiB pages');
    assert.ok(good.length >= 4 * pageSize);
    for (const length of [good.length - 1000, 2 * pageSize]) {
      const damaged = good.subarray(0, length);
      fs.writeFileSync(dbPath, damaged);
      await assert.rejects(openStore({ dbPath }), (error: Error) => {
        assert.ok(error instanceof StoreCorruptError, String(error));
        assert.match(error.message, new RegExp(`pixie\\.db is truncated: ${length} bytes, expected .*Pixie did not change it\\. Restore it from a backup`));
        return true;
      });
      assert.ok(fs.readFileSync(dbPath).equals(damaged), `file of ${length} bytes untouched`);
      assert.equal(fs.existsSync(`${dbPath}.redo`), true, 'the log is left alone too');
    }
  });
});

test('garbage where the SQLite header should be, or a valid header over garbage pages, is refused and left alone', async () => {
  await withTemp(async ({ dbPath }) => {
    const garbage = Buffer.alloc(16_384, 0x5a);
    fs.writeFileSync(dbPath, garbage);
    await assert.rejects(openStore({ dbPath }), (error: Error) => error instanceof StoreCorruptError && /is not a SQLite database \(bad or missing header, 16384 bytes\)/.test(error.message));
    assert.ok(fs.readFileSync(dbPath).equals(garbage));

    const good = await (async () => {
      fs.rmSync(dbPath);
      return makeFile(dbPath);
    })();
    const scrambled = Buffer.from(good);
    scrambled.fill(0xa5, 100, 8192); // page 1 after the 100-byte header: the schema b-tree
    fs.writeFileSync(dbPath, scrambled);
    await assert.rejects(openStore({ dbPath }), (error: Error) => error instanceof StoreCorruptError && /cannot be read as a database/.test(error.message));
    assert.ok(fs.readFileSync(dbPath).equals(scrambled));
  });
});

test('a redo log that does not continue pixie.db (an older backup restored) is set aside, never deleted', async () => {
  await withTemp(async ({ dir, dbPath }, open) => {
    const a = await open();
    await a.write((q) => q.run(SETTINGS));
    await a.write((q) => q.run("INSERT INTO settings (key, value) VALUES ('old', '1')"));
    await a.checkpoint();
    const backup = fs.readFileSync(dbPath); // lsn 2
    await a.write((q) => q.run("INSERT INTO settings (key, value) VALUES ('new', '2')"));
    await a.checkpoint(); // lsn 3
    await a.write((q) => q.run("INSERT INTO settings (key, value) VALUES ('newer', '3')")); // lsn 4, log only
    // Simulate the crash of that window (no close), then the user restores the backup.
    const logBytes = fs.readFileSync(`${dbPath}.redo`);
    fs.writeFileSync(dbPath, backup);

    const logs: string[] = [];
    const b = await open({ log: (_level, message) => logs.push(message) });
    assert.equal(setting(b, 'old'), '1');
    assert.equal(setting(b, 'newer'), undefined, 'records that do not follow the file are not applied');
    assert.equal(b.info().lsn, 2);
    // Reads keep working while no writer has set the log aside yet, without reloading the file each time.
    for (let i = 0; i < 3; i++) assert.equal(setting(b, 'old'), '1');
    assert.equal(logs.filter((message) => message.includes('does not continue')).length, 1, logs.join('\n'));
    assert.ok(fs.readFileSync(`${dbPath}.redo`).equals(logBytes), 'a reader leaves the log as it is');
    await b.write((q) => q.run("INSERT INTO settings (key, value) VALUES ('after', '4')"));
    const orphans = fs.readdirSync(dir).filter((name) => name.startsWith('pixie.db.redo.orphan-'));
    assert.equal(orphans.length, 1, `set aside: ${fs.readdirSync(dir).join(', ')}`);
    assert.ok(fs.readFileSync(path.join(dir, orphans[0])).equals(logBytes), 'the set-aside log keeps every byte');
    assert.ok(logs.some((message) => message.includes('was set aside') && message.includes('start at 4')), logs.join('\n'));
    assert.equal(setting(b, 'after'), '4');
    await b.close();
    const c = await open();
    assert.deepEqual(c.read((q) => q.all<{ key: string }>('SELECT key FROM settings ORDER BY key')).map((row) => row.key), ['after', 'old']);
  });
});

test('the written file is a rollback-journal SQLite database (header bytes 18/19 = 1) that real SQLite reads', async () => {
  await withTemp(async ({ dbPath }) => {
    const bytes = await makeFile(dbPath);
    assert.equal(bytes.subarray(0, 16).toString('latin1'), 'SQLite format 3\u0000');
    assert.deepEqual([bytes[18], bytes[19]], [1, 1]);
    assert.equal(nativeIntegrityCheck(dbPath), 'ok');
    withNative(dbPath, (db) => {
      assert.equal(db.pragma('journal_mode', { simple: true }), 'delete');
      assert.equal(db.pragma('page_size', { simple: true }), 8192);
      assert.equal((db.prepare('SELECT count(*) AS n FROM settings').get() as { n: number }).n, 40);
      const meta = db.prepare("SELECT key, value FROM pixie_meta WHERE key IN ('lsn', 'format') ORDER BY key").all();
      assert.deepEqual(meta, [
        { key: 'format', value: '1' },
        { key: 'lsn', value: '1' },
      ]);
    });
    // Our own redo log name must never be one real SQLite treats as its own.
    for (const name of fs.readdirSync(path.dirname(dbPath))) assert.doesNotMatch(name, /-(wal|shm|journal)$/);
  });
});

test('a lock left by a dead process does not delay a write', async () => {
  await withTemp(async ({ dbPath }, open) => {
    // A busy timeout far below anything a real wait would need: only breaking the stale lock lets this write through.
    const store = await open({ busyTimeoutMs: 300 });
    fs.writeFileSync(`${dbPath}.lck`, JSON.stringify({ pid: deadPid(), host: os.hostname(), nonce: 'feedface', time: new Date().toISOString() }));
    await store.write((q) => q.run(SETTINGS));
    assert.equal(fs.existsSync(`${dbPath}.lck`), false);
  });
});

test('readers ignore a torn tail in the log; the next writer zeroes it', async () => {
  await withTemp(async ({ dbPath }, open) => {
    const a = await open();
    await a.write((q) => q.run(SETTINGS));
    await a.write((q) => q.run("INSERT INTO settings (key, value) VALUES ('a', '1')"));
    const valid = new RedoLog(`${dbPath}.redo`).read(LOG_HEADER_SIZE).validEnd;
    const torn = fs.readFileSync(`${dbPath}.redo`).subarray(LOG_HEADER_SIZE, LOG_HEADER_SIZE + 20);
    const fd = fs.openSync(`${dbPath}.redo`, 'r+');
    fs.writeSync(fd, torn, 0, torn.length, valid); // a crashed writer's first 20 bytes of a record
    fs.closeSync(fd);
    const before = fs.readFileSync(`${dbPath}.redo`);
    const b = await open();
    assert.equal(setting(b, 'a'), '1');
    assert.ok(fs.readFileSync(`${dbPath}.redo`).equals(before), 'reading never modifies the log');
    await b.write((q) => q.run("INSERT INTO settings (key, value) VALUES ('b', '2')"));
    const read = new RedoLog(`${dbPath}.redo`).read(LOG_HEADER_SIZE);
    const after = fs.readFileSync(`${dbPath}.redo`);
    assert.ok(after.subarray(read.validEnd).every((byte) => byte === 0), 'nothing but zeros after the last record');
    assert.deepEqual(read.records.map((record) => record.lsn), [1, 2, 3]);
    assert.equal(setting(a, 'b'), '2');
  });
});

test('a checkpoint that fails after a durable commit does not fail that commit', async () => {
  await withTemp(async ({ dbPath }, open) => {
    const logs: string[] = [];
    const store = await open({ checkpointMaxRecords: 2, log: (_level, message) => logs.push(message) });
    await store.write((q) => q.run(SETTINGS));
    const realRename = fs.renameSync;
    fs.renameSync = (from: fs.PathLike, to: fs.PathLike) => {
      if (String(from).includes('.pixie.db.tmp-')) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      realRename(from, to);
    };
    try {
      // The second commit reaches the threshold: its checkpoint fails, the commit itself stands.
      assert.equal(await store.write((q) => q.run("INSERT INTO settings (key, value) VALUES ('kept', 'yes')").changes), 1);
    } finally {
      fs.renameSync = realRename;
    }
    assert.ok(logs.some((message) => message.includes('checkpoint postponed') && message.includes('ENOSPC')), logs.join('\n'));
    assert.equal(store.info().pendingLogRecords, 2);
    assert.deepEqual(fs.readdirSync(path.dirname(dbPath)).filter((name) => name.includes('.tmp-')), [], 'the failed temp file was removed');
    const other = await open();
    assert.equal(setting(other, 'kept'), 'yes');
    await store.checkpoint();
    assert.equal(store.info().pendingLogRecords, 0);
  });
});

test('an async write callback is refused: nothing is committed, and its statements after an await cannot run', async () => {
  await withTemp(async (_db, open) => {
    const store = await open();
    await store.write((q) => q.run(SETTINGS));
    const log = logSize(store);
    let late: unknown;
    let continuation: Promise<void> | undefined;
    await assert.rejects(
      store.write(async (q) => {
        q.run("INSERT INTO settings (key, value) VALUES ('before-await', '1')");
        continuation = new Promise<void>((resolve) => setTimeout(resolve, 20));
        await continuation;
        try {
          q.run("INSERT INTO settings (key, value) VALUES ('after-await', '2')");
        } catch (error) {
          late = error;
        }
      }),
      (error: Error) => error instanceof StoreError && /synchronous function/.test(error.message),
    );
    await continuation;
    await sleep(10);
    assert.ok(late instanceof StoreError && /already ended/.test(late.message), `late q.run: ${String(late)}`);
    assert.deepEqual(store.read((q) => q.all('SELECT key FROM settings')), [], 'neither statement is in the image');
    assert.equal(logSize(store), log);
    assert.equal(store.info().lsn, 1);
  });
});
