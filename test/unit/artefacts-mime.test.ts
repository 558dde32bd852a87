import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkMime, extensionForMime, mimeForFilename, sniffMime } from '../../src/core/artefacts/mime';

const bytes = (...parts: (string | number[])[]): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

const PNG = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], [0, 0, 0, 13], 'IHDR');
const JPEG = bytes([0xff, 0xd8, 0xff, 0xe0, 0, 16], 'JFIF');
const WAV = bytes('RIFF', [0x24, 0, 0, 0], 'WAVEfmt ');

describe('mimeForFilename', () => {
  it('knows the original Pixie extras', () => {
    const expected: Record<string, string> = {
      'a.npy': 'application/x-numpy',
      'a.parquet': 'application/x-parquet',
      'model.gguf': 'application/octet-stream',
      'model.safetensors': 'application/octet-stream',
      'm.onnx': 'application/x-onnx',
      'a.jsonl': 'application/x-ndjson',
      'a.geojson': 'application/geo+json',
      'a.gpx': 'application/gpx+xml',
      'a.kml': 'application/vnd.google-earth.kml+xml',
      'a.tex': 'application/x-tex',
      'README.MD': 'text/markdown',
      'fix.patch': 'text/x-diff',
      'fix.diff': 'text/x-diff',
      'p.webp': 'image/webp',
    };
    for (const [name, mime] of Object.entries(expected)) assert.equal(mimeForFilename(name), mime, name);
  });

  it('uses the standard table otherwise, octet-stream when unknown', () => {
    assert.equal(mimeForFilename('chart.png'), 'image/png');
    assert.equal(mimeForFilename('x.csv'), 'text/csv');
    assert.equal(mimeForFilename('song.mp3'), 'audio/mpeg');
    assert.equal(mimeForFilename('weird.zzzunknown'), 'application/octet-stream');
    assert.equal(mimeForFilename('Makefile'), 'application/octet-stream');
  });

  it('gives usual extensions for MIME types', () => {
    assert.equal(extensionForMime('image/png'), 'png');
    assert.equal(extensionForMime('image/jpeg'), 'jpg');
    assert.equal(extensionForMime('audio/mpeg'), 'mp3');
    assert.equal(extensionForMime('audio/ogg'), 'ogg');
    assert.equal(extensionForMime('Text/Plain; charset=utf-8'), 'txt');
    assert.equal(extensionForMime('application/x-nothing-known'), 'bin');
  });
});

describe('sniffMime', () => {
  it('recognises the common signatures', () => {
    const cases: [Buffer, string][] = [
      [PNG, 'image/png'],
      [JPEG, 'image/jpeg'],
      [bytes('GIF89a', [1, 0, 1, 0]), 'image/gif'],
      [bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 '), 'image/webp'],
      [WAV, 'audio/wav'],
      [bytes('ID3', [4, 0, 0]), 'audio/mpeg'],
      [bytes([0xff, 0xfb, 0x90, 0x64]), 'audio/mpeg'],
      [bytes('OggS', [0, 2]), 'audio/ogg'],
      [bytes([0, 0, 0, 0x18], 'ftypmp42'), 'video/mp4'],
      [bytes('%PDF-1.7\n'), 'application/pdf'],
      [bytes('PK', [3, 4, 20, 0]), 'application/zip'],
      [bytes('fLaC'), 'audio/flac'],
      [bytes([0x1a, 0x45, 0xdf, 0xa3]), 'video/webm'],
      [bytes('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/svg+xml'],
      [bytes('<!DOCTYPE html><html>'), 'text/html'],
      [Buffer.from('hello, wörld\n', 'utf8'), 'text/plain'],
    ];
    for (const [head, mime] of cases) assert.equal(sniffMime(head), mime, mime);
  });

  it('returns undefined for binary it cannot name and for nothing', () => {
    assert.equal(sniffMime(bytes([0, 1, 2, 3, 0xfe, 0x80, 0x00])), undefined);
    assert.equal(sniffMime(Buffer.alloc(0)), undefined);
    // AAC ADTS (layer bits 00) is not taken for MP3.
    assert.equal(sniffMime(bytes([0xff, 0xf1, 0x50, 0x80, 0x00])), undefined);
  });

  it('accepts a multi-byte character cut at the end of the head', () => {
    const text = Buffer.from('ab€', 'utf8');
    assert.equal(sniffMime(text.subarray(0, text.length - 1)), 'text/plain');
  });
});

describe('checkMime', () => {
  it('accepts content that matches', () => {
    assert.equal(checkMime('image', 'image/png', PNG), undefined);
    assert.equal(checkMime('image', 'image/jpg', JPEG), undefined);
    assert.equal(checkMime('audio', 'audio/x-wav', WAV), undefined);
    assert.equal(checkMime('file', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', bytes('PK', [3, 4])), undefined);
    assert.equal(checkMime('file', 'text/csv', Buffer.from('a,b\n1,2\n')), undefined);
    assert.equal(checkMime('image', 'image/svg+xml', Buffer.from('<?xml version="1.0"?>\n<svg/>')), undefined);
    // Nothing to tell from: unknown binary under an unknown type.
    assert.equal(checkMime('file', 'application/x-custom', bytes([1, 2, 3])), undefined);
  });

  it('flags text claimed as PNG', () => {
    const problem = checkMime('image', 'image/png', Buffer.from('this is not a picture'));
    assert.ok(problem);
    assert.equal(problem.declared, 'image/png');
    assert.equal(problem.actual, 'text/plain');
  });

  it('flags a family that does not fit the output type', () => {
    const problem = checkMime('audio', 'image/png', PNG);
    assert.deepEqual([problem?.declared, problem?.actual], ['audio/*', 'image/png']);
  });

  it('flags one known format claimed as another, and binary under a text type', () => {
    assert.equal(checkMime('image', 'image/png', JPEG)?.actual, 'image/jpeg');
    assert.equal(checkMime('file', 'text/csv', PNG)?.actual, 'image/png');
    assert.equal(checkMime('file', 'application/pdf', Buffer.alloc(0))?.actual, 'empty');
    assert.equal(checkMime('image', 'image/svg+xml', Buffer.from('plain words'))?.actual, 'text/plain');
    assert.equal(checkMime('image', 'image/tiff', Buffer.from('plain words'))?.actual, 'text/plain');
  });

  it('lets octet-stream through for a file output', () => {
    assert.equal(checkMime('file', 'application/octet-stream', PNG), undefined);
  });
});
