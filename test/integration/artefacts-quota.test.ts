// The quota watchdog against a real child process filling its run folder; the callback SIGKILLs it, as the run
// service does.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { folderBytes, QuotaWatchdog, quotaExceededMessage, type QuotaExceeded } from '../../src/core/artefacts/quotaWatchdog';

const MIB = 1024 * 1024;
let tmp: string;
let dir: string;

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-'));
  dir = path.join(tmp, 'run');
  fs.mkdirSync(dir);
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A child that appends 128 KiB every 10 ms to hog.bin and prints "crossed <ms since epoch>" once past `limit`. */
function hog(limit: number) {
  const script = `
    const fs = require('node:fs');
    const fd = fs.openSync(${JSON.stringify(path.join(dir, 'hog.bin'))}, 'a');
    const chunk = Buffer.alloc(128 * 1024, 97);
    let written = 0, told = false;
    setInterval(() => {
      fs.writeSync(fd, chunk);
      written += chunk.length;
      if (!told && written > ${limit}) { told = true; fs.writeSync(1, 'crossed ' + Date.now() + '\\n'); }
    }, 10);`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let crossedAt: number | undefined;
  child.stdout.on('data', (chunk: Buffer) => {
    const match = /crossed (\d+)/.exec(chunk.toString());
    if (match) crossedAt = Number(match[1]);
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  return { child, exited, crossedAt: () => crossedAt };
}

describe('QuotaWatchdog', () => {
  it('fires once, within ~1 s of the folder passing the limit; the callback kills the writer', async () => {
    const limit = 3 * MIB;
    const proc = hog(limit);
    const calls: { info: QuotaExceeded; at: number }[] = [];
    const watchdog = new QuotaWatchdog({
      dir,
      limitBytes: limit,
      onExceeded: (info) => {
        calls.push({ info, at: Date.now() });
        proc.child.kill('SIGKILL');
      },
    }).start();
    try {
      const signal = await Promise.race([proc.exited, sleep(10_000, 'timeout' as const, { ref: false })]);
      assert.equal(signal, 'SIGKILL', 'the writer was killed from the callback');
      await sleep(600); // more polls would happen here if it fired again
      assert.equal(calls.length, 1);
      const { info, at } = calls[0];
      assert.equal(info.limit, limit);
      assert.ok(info.written > limit, `written ${info.written} should exceed ${limit}`);
      const crossedAt = proc.crossedAt();
      assert.ok(crossedAt !== undefined);
      assert.ok(at - crossedAt < 1000, `fired ${at - crossedAt} ms after the limit was passed`);
      assert.ok(watchdog.fired);
      assert.ok(watchdog.lastMeasuredBytes > limit);
      // What was written stays.
      assert.ok(fs.statSync(path.join(dir, 'hog.bin')).size > limit);
    } finally {
      proc.child.kill('SIGKILL');
      await watchdog.stop();
    }
  });

  it('does not fire at or below the limit, and stops cleanly', async () => {
    fs.writeFileSync(path.join(dir, 'a.bin'), Buffer.alloc(MIB));
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'sub', 'b.bin'), Buffer.alloc(MIB));
    let fired = 0;
    const watchdog = new QuotaWatchdog({ dir, limitBytes: 2 * MIB, intervalMs: 50, onExceeded: () => fired++ }).start();
    await sleep(400);
    assert.equal(fired, 0, 'exactly at the limit is not past it');
    assert.equal(watchdog.lastMeasuredBytes, 2 * MIB);
    await watchdog.stop();
    fs.writeFileSync(path.join(dir, 'c.bin'), Buffer.alloc(MIB));
    await sleep(300);
    assert.equal(fired, 0, 'nothing fires after stop()');
    assert.throws(() => watchdog.start(), /cannot be restarted/);
  });

  it('measures without following symlinks, and a missing folder as 0', async () => {
    const outside = path.join(tmp, 'outside.bin');
    fs.writeFileSync(outside, Buffer.alloc(5 * MIB));
    fs.symlinkSync(outside, path.join(dir, 'link.bin'));
    fs.symlinkSync(tmp, path.join(dir, 'loop'));
    fs.writeFileSync(path.join(dir, '.hidden.partial'), Buffer.alloc(1000));
    assert.equal(await folderBytes(dir), 1000, 'dotfiles and .partial files take disk too; symlinks do not count');
    assert.equal(await folderBytes(path.join(tmp, 'nope')), 0);
    let fired = 0;
    const watchdog = new QuotaWatchdog({ dir, limitBytes: MIB, intervalMs: 20, onExceeded: () => fired++ }).start();
    await sleep(150);
    await watchdog.stop();
    assert.equal(fired, 0);
  });

  it('reports a failing callback through onError instead of crashing', async () => {
    fs.writeFileSync(path.join(dir, 'a.bin'), Buffer.alloc(10));
    const errors: unknown[] = [];
    const watchdog = new QuotaWatchdog({
      dir,
      limitBytes: 1,
      intervalMs: 20,
      onExceeded: () => {
        throw new Error('kill failed');
      },
      onError: (error) => errors.push(error),
    }).start();
    await sleep(150);
    await watchdog.stop();
    assert.equal(errors.length, 1);
    assert.ok(watchdog.fired);
  });

  it('measureAtStart: false reads nothing before the first interval, then watches as usual', async () => {
    fs.writeFileSync(path.join(dir, 'a.bin'), Buffer.alloc(2 * MIB));
    let fired = 0;
    const quiet = new QuotaWatchdog({ dir, limitBytes: MIB, intervalMs: 150, measureAtStart: false, onExceeded: () => fired++ }).start();
    await sleep(40);
    assert.equal(quiet.lastMeasuredBytes, 0, 'no measurement yet');
    assert.equal(fired, 0);
    await quiet.stop(); // a run shorter than the interval: stopped before anything was read
    await sleep(200);
    assert.equal(quiet.lastMeasuredBytes, 0);
    assert.equal(fired, 0);

    const later = new QuotaWatchdog({ dir, limitBytes: MIB, intervalMs: 50, measureAtStart: false, onExceeded: () => fired++ }).start();
    await sleep(300);
    await later.stop();
    assert.equal(fired, 1, 'fires from the first interval on');
    assert.equal(later.lastMeasuredBytes, 2 * MIB);
  });

  it('refuses a negative limit', () => {
    assert.throws(() => new QuotaWatchdog({ dir, limitBytes: -1, onExceeded: () => undefined }), RangeError);
  });
});

describe('quotaExceededMessage', () => {
  it('says how much was written of how much', () => {
    assert.equal(
      quotaExceededMessage({ written: 11_274_289_152, limit: 10 * 1024 ** 3 }),
      'artefact quota exceeded (wrote 10.5 GiB of 10 GiB)',
    );
    assert.equal(quotaExceededMessage({ written: 1000, limit: 512 }), 'artefact quota exceeded (wrote 1000 B of 512 B)');
    assert.equal(
      quotaExceededMessage({ written: 3 * MIB + 1, limit: 3 * MIB }),
      'artefact quota exceeded (wrote 3145729 bytes of 3145728 bytes)',
    );
  });
});
