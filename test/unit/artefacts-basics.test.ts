import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { decodeDataUrl } from '../../src/core/artefacts/dataUrl';
import { pickFreeName, plainBasename, safeFileStem, writeNewFile } from '../../src/core/artefacts/files';
import { hashFile, sha256File, SNIFF_BYTES } from '../../src/core/artefacts/hash';
import {
  artefactRefOf,
  containsArtefactReference,
  isArtefactReference,
  makeArtefactReference,
} from '../../src/core/artefacts/reference';
import { isSecretLookingName, redactedFilename, redactName } from '../../src/core/artefacts/secretNames';

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pixie-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('sha256File', () => {
  it('equals node:crypto over several 1 MiB chunks, and for an empty file', async () => {
    const data = crypto.randomBytes(2.5 * 1024 * 1024);
    const file = path.join(tmp, 'big.bin');
    fs.writeFileSync(file, data);
    assert.equal(await sha256File(file), crypto.createHash('sha256').update(data).digest('hex'));
    const digest = await hashFile(file);
    assert.equal(digest.size, data.length);
    assert.deepEqual(digest.head, data.subarray(0, SNIFF_BYTES));
    const empty = path.join(tmp, 'empty');
    fs.writeFileSync(empty, '');
    assert.equal(await sha256File(empty), crypto.createHash('sha256').digest('hex'));
  });

  it('refuses a symlink and a folder', async () => {
    fs.writeFileSync(path.join(tmp, 'target'), 'x');
    fs.symlinkSync(path.join(tmp, 'target'), path.join(tmp, 'link'));
    await assert.rejects(sha256File(path.join(tmp, 'link')), { code: 'ELOOP' });
    await assert.rejects(sha256File(tmp));
  });
});

describe('secret-looking names', () => {
  it('matches the original regex cases and leaves normal names', () => {
    for (const name of ['password.txt', 'openai_api_key.json', 'auth-bearer-jwt.txt', 'credential-token.bin', 'MY_SECRET.env', 'apikey.txt']) {
      assert.ok(isSecretLookingName(name), name);
    }
    for (const name of ['chart.png', 'report.pdf', 'notes.md', 'port.txt']) assert.ok(!isSecretLookingName(name), name);
  });

  it('renames to redacted-<sha1[:8]><ext> and records the original in a tag', () => {
    const sha1 = crypto.createHash('sha1').update('api_key.txt').digest('hex').slice(0, 8);
    assert.equal(redactedFilename('api_key.txt'), `redacted-${sha1}.txt`);
    assert.deepEqual(redactName('api_key.txt'), { name: `redacted-${sha1}.txt`, tags: ['_redacted_original:api_key.txt'] });
    assert.deepEqual(redactName('chart.png'), { name: 'chart.png', tags: [] });
    assert.ok(!isSecretLookingName(redactedFilename('token')));
  });
});

describe('decodeDataUrl', () => {
  it('decodes base64, URL-safe base64 and percent-encoded data', () => {
    const png = decodeDataUrl('data:image/png;base64,iVBORw0KGgo=');
    assert.ok(!('error' in png));
    assert.equal(png.mime, 'image/png');
    assert.deepEqual([...png.bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    const named = decodeDataUrl('data:text/plain;name=a%20b.txt;base64,aGk=');
    assert.ok(!('error' in named));
    assert.equal(named.name, 'a b.txt');
    const svg = decodeDataUrl('data:image/svg+xml;utf8,%3Csvg%2F%3E');
    assert.ok(!('error' in svg));
    assert.equal(svg.bytes.toString(), '<svg/>');
    const binary = decodeDataUrl('data:application/octet-stream,%89%00%FF');
    assert.ok(!('error' in binary));
    assert.deepEqual([...binary.bytes], [0x89, 0, 0xff]);
    const urlSafe = decodeDataUrl('data:application/octet-stream;base64,-_8=');
    assert.ok(!('error' in urlSafe));
    assert.deepEqual([...urlSafe.bytes], [0xfb, 0xff]);
  });

  it('reports broken data URLs', () => {
    assert.ok('error' in decodeDataUrl('https://example.com/a.png'));
    assert.ok('error' in decodeDataUrl('data:image/png;base64'));
    assert.ok('error' in decodeDataUrl('data:image/png;base64,@@@@'));
    assert.ok('error' in decodeDataUrl('data:image/png;base64,A'));
    assert.ok('error' in decodeDataUrl('data:text/plain,%ZZ'));
  });
});

describe('reference', () => {
  const row = { id: 7, relPath: 't/r/a.png', mime: 'image/png', sizeBytes: 10, sha256: 'ab', filename: 'a.png' };

  it('has one shape with the non-byte fields beside it', () => {
    const ref = makeArtefactReference(row, 'file', { filename: 'report.pdf', _pixie_artefact: 'ignored' });
    assert.deepEqual(ref, {
      _pixie_artefact: { id: 7, rel_path: 't/r/a.png', mime: 'image/png', size: 10, sha256: 'ab', filename: 'a.png', kind: 'file' },
      filename: 'report.pdf',
    });
    assert.ok(isArtefactReference(ref));
    assert.equal(artefactRefOf(JSON.parse(JSON.stringify(ref)))?.id, 7);
  });

  it('rejects look-alikes and finds nested references', () => {
    assert.ok(!isArtefactReference({ _pixie_artefact: { id: '7' } }));
    assert.ok(!isArtefactReference({ _pixie_artefact: { ...makeArtefactReference(row, 'file')._pixie_artefact, kind: 'other' } }));
    assert.ok(!isArtefactReference('data:image/png;base64,AA=='));
    assert.ok(containsArtefactReference({ images: [{ label: 'x' }, makeArtefactReference(row, 'file')] }));
    assert.ok(!containsArtefactReference({ images: [{ value: 'http://x/a.png' }] }));
  });
});

describe('files', () => {
  it('never overwrites: picks name-2, name-3…', async () => {
    fs.writeFileSync(path.join(tmp, 'a.png'), 'tool wrote this');
    assert.equal(pickFreeName(tmp, 'a.png'), 'a-2.png');
    assert.equal(await writeNewFile(tmp, 'a.png', Buffer.from('ours')), 'a-2.png');
    assert.equal(fs.readFileSync(path.join(tmp, 'a.png'), 'utf8'), 'tool wrote this');
    assert.equal(fs.readFileSync(path.join(tmp, 'a-2.png'), 'utf8'), 'ours');
    assert.deepEqual(fs.readdirSync(tmp).filter((n) => n.endsWith('.partial')), []);
  });

  it('makes safe stems and base names', () => {
    assert.equal(safeFileStem('../../etc/passwd'), '_.._etc_passwd');
    assert.equal(safeFileStem('...'), 'output');
    assert.equal(safeFileStem('résumé key'), 'r_sum__key');
    assert.equal(plainBasename('../../x/report.pdf'), 'report.pdf');
    assert.equal(plainBasename('C:\\tmp\\a.txt'), 'a.txt');
    assert.equal(plainBasename('..'), undefined);
  });
});
