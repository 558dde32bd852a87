import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  ArtefactPathError,
  isInside,
  makeRunFolder,
  resolveArtefactPath,
  runFolder,
  runFolderPath,
  runFolderRel,
  safeJoin,
  toRelPath,
} from '../../src/core/artefacts/paths';

let tmp: string;
let root: string;

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-'));
  root = path.join(tmp, 'artefacts');
  fs.mkdirSync(root);
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('safeJoin', () => {
  it('joins plain relative paths under the root, existing or not', () => {
    assert.equal(safeJoin(root, 'tool/run/a.png'), path.join(root, 'tool', 'run', 'a.png'));
    fs.mkdirSync(path.join(root, 'tool'));
    assert.equal(safeJoin(root, 'tool/./run//b.txt'), path.join(root, 'tool', 'run', 'b.txt'));
  });

  it('refuses .., absolute paths, backslashes, NUL and empty paths', () => {
    for (const bad of ['../x', 'a/../../x', '..', '/etc/passwd', 'C:/Windows', 'a\\..\\b', 'a\0b', '', '.', './']) {
      assert.throws(() => safeJoin(root, bad), ArtefactPathError, `accepted ${JSON.stringify(bad)}`);
    }
  });

  it('refuses a symlink anywhere on the path, even one pointing inside the root', () => {
    fs.mkdirSync(path.join(root, 'real'));
    fs.writeFileSync(path.join(root, 'real', 'f.txt'), 'x');
    fs.symlinkSync(path.join(root, 'real'), path.join(root, 'link'));
    fs.symlinkSync(path.join(root, 'real', 'f.txt'), path.join(root, 'real', 'flink.txt'));
    assert.throws(() => safeJoin(root, 'link/f.txt'), /symlink/);
    assert.throws(() => safeJoin(root, 'real/flink.txt'), /symlink/);
    assert.equal(safeJoin(root, 'real/f.txt'), path.join(root, 'real', 'f.txt'));
  });
});

describe('isInside / resolveArtefactPath', () => {
  it('compares real paths', () => {
    const outside = path.join(tmp, 'outside');
    fs.mkdirSync(outside);
    fs.symlinkSync(outside, path.join(root, 'escape'));
    assert.equal(isInside(root, path.join(root, 'a', 'b')), true);
    assert.equal(isInside(root, root), true);
    assert.equal(isInside(root, path.join(root, 'escape', 'x')), false);
    assert.equal(isInside(root, outside), false);
    // A sibling whose name starts with the root's name is not inside it.
    fs.mkdirSync(`${root}-other`);
    assert.equal(isInside(root, `${root}-other/x`), false);
  });

  it('never resolves a crafted rel_path to a file outside the root', () => {
    const secret = path.join(tmp, 'id_rsa');
    fs.writeFileSync(secret, 'PRIVATE');
    assert.throws(() => resolveArtefactPath(root, '../../.ssh/id_rsa'), /outside the artefacts root/);
    assert.throws(() => resolveArtefactPath(root, '../id_rsa'), /outside the artefacts root/);
    fs.symlinkSync(secret, path.join(root, 'innocent.txt'));
    assert.throws(() => resolveArtefactPath(root, 'innocent.txt'), /outside the artefacts root/);
    assert.equal(resolveArtefactPath(root, 'tool/run/a.txt'), path.join(root, 'tool/run/a.txt'));
  });

  it('toRelPath gives forward slashes and refuses paths outside', () => {
    assert.equal(toRelPath(root, path.join(root, 'a', 'b.txt')), 'a/b.txt');
    assert.throws(() => toRelPath(root, tmp), ArtefactPathError);
    assert.throws(() => toRelPath(root, root), ArtefactPathError);
  });
});

describe('runFolder', () => {
  it('creates <root>/<tool>/<run> with mode 0700', () => {
    const dir = runFolder(path.join(tmp, 'fresh-root'), 'echo', 'run-1');
    assert.equal(dir, path.join(tmp, 'fresh-root', 'echo', 'run-1'));
    assert.ok(fs.statSync(dir).isDirectory());
    if (process.platform !== 'win32') assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
    // Idempotent.
    assert.equal(runFolder(path.join(tmp, 'fresh-root'), 'echo', 'run-1'), dir);
    assert.equal(runFolderRel('echo', 'run-1'), 'echo/run-1');
  });

  it('refuses reserved and unsafe ids', () => {
    for (const toolId of ['_thumbs', '_quarantine', '_anything', '', '..', 'a/b', 'a\\b']) {
      assert.throws(() => runFolder(root, toolId, 'r'), ArtefactPathError, `accepted tool id ${JSON.stringify(toolId)}`);
    }
    for (const runId of ['', '.', '..', '../x', 'a/b']) {
      assert.throws(() => runFolder(root, 'tool', runId), ArtefactPathError, `accepted run id ${JSON.stringify(runId)}`);
    }
  });

  it('in an existing tool folder: a new run folder is 0700 whatever the umask; an existing symlink there is refused', () => {
    fs.mkdirSync(path.join(root, 'echo'));
    if (process.platform !== 'win32') {
      const previous = process.umask(0o277); // would leave mkdir's 0700 as 0500
      try {
        const dir = runFolder(root, 'echo', 'run-2');
        assert.equal(dir, path.join(root, 'echo', 'run-2'));
        assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
      } finally {
        process.umask(previous);
      }
    }
    const outside = path.join(tmp, 'elsewhere');
    fs.mkdirSync(outside, { mode: 0o755 });
    fs.symlinkSync(outside, path.join(root, 'echo', 'planted'));
    assert.throws(() => runFolder(root, 'echo', 'planted'), /symlink/);
    assert.equal(fs.statSync(outside).mode & 0o777, 0o755, 'nothing was changed through the symlink');
    // A plain file where the tool folder should be: refused as before, nothing created.
    fs.writeFileSync(path.join(root, 'file-tool'), 'x');
    assert.throws(() => runFolder(root, 'file-tool', 'r1'));
  });

  it('refuses a tool folder that is a symlink', () => {
    const outside = path.join(tmp, 'elsewhere');
    fs.mkdirSync(outside);
    fs.symlinkSync(outside, path.join(root, 'evil'));
    assert.throws(() => runFolder(root, 'evil', 'r1'), /symlink/);
    assert.deepEqual(fs.readdirSync(outside), []);
  });
});

describe('makeRunFolder (the mkdir on the thread pool) and runFolderPath', () => {
  it('makes the same 0700 folder as runFolder, in an existing tool folder or not, whatever the umask', async () => {
    assert.equal(runFolderPath(root, 'echo', 'r1'), path.join(root, 'echo', 'r1'));
    assert.equal(await makeRunFolder(root, 'echo', 'r1'), path.join(root, 'echo', 'r1'), 'no tool folder yet: the long way');
    assert.ok(fs.statSync(path.join(root, 'echo', 'r1')).isDirectory());
    if (process.platform !== 'win32') {
      const previous = process.umask(0o277);
      try {
        const dir = await makeRunFolder(root, 'echo', 'r2');
        assert.equal(dir, runFolderPath(root, 'echo', 'r2'));
        assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
      } finally {
        process.umask(previous);
      }
    }
  });

  it('refuses bad ids before touching the disk, a symlinked tool folder, and a symlink where the run folder goes', async () => {
    for (const [toolId, runId] of [['_quarantine', 'r'], ['..', 'r'], ['tool', '../x'], ['tool', '']]) {
      assert.throws(() => runFolderPath(root, toolId, runId), ArtefactPathError);
      await assert.rejects(makeRunFolder(root, toolId, runId), ArtefactPathError);
    }
    assert.deepEqual(fs.readdirSync(root), []);
    const outside = path.join(tmp, 'elsewhere');
    fs.mkdirSync(outside, { mode: 0o755 });
    fs.symlinkSync(outside, path.join(root, 'evil'));
    await assert.rejects(makeRunFolder(root, 'evil', 'r1'), /symlink/);
    assert.deepEqual(fs.readdirSync(outside), [], 'nothing made through the symlink');
    fs.mkdirSync(path.join(root, 'echo'));
    fs.symlinkSync(outside, path.join(root, 'echo', 'planted'));
    await assert.rejects(makeRunFolder(root, 'echo', 'planted'), /symlink/);
    assert.equal(fs.statSync(outside).mode & 0o777, 0o755, 'nothing changed through the symlink');
  });

  it('refuses when the tool folder is swapped for a symlink while the run folder is made', async () => {
    fs.mkdirSync(path.join(root, 'echo'));
    const outside = path.join(tmp, 'elsewhere');
    fs.mkdirSync(outside);
    const original = fs.promises.mkdir;
    // The swap happens right after the mkdir (the moment the check after it is for).
    (fs.promises as { mkdir: typeof original }).mkdir = (async (target: fs.PathLike, options?: fs.MakeDirectoryOptions) => {
      const made = await original(target, options);
      fs.renameSync(path.join(root, 'echo'), path.join(tmp, 'moved-echo'));
      fs.symlinkSync(outside, path.join(root, 'echo'));
      return made;
    }) as typeof original;
    try {
      await assert.rejects(makeRunFolder(root, 'echo', 'r1'), /changed while its run folder was made/);
    } finally {
      (fs.promises as { mkdir: typeof original }).mkdir = original;
    }
  });
});
