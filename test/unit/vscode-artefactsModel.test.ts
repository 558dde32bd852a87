import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insertArtefact } from '../../src/core/store/repositories/artefacts';
import { insertStartedRun } from '../../src/core/store/repositories/runs';
import { initSchema } from '../../src/core/store/schema';
import { artefactItemText, FAMILY_ICONS, mimeFamily, openKindOf, parseTagList } from '../../src/vscode/trees/artefactsModel';
import { runsWithArtefacts, toolsWithArtefacts, toolsWithRuns, hasAnyArtefact, hasAnyRun, allMemberships, allToolTagPairs } from '../../src/vscode/trees/viewQueries';
import { createMemoryStore, type MemoryStore } from '../helpers/memoryStore';

describe('artefact MIME families', () => {
  it('sorts MIME types (and extensions when the type is generic) into families', () => {
    assert.equal(mimeFamily('image/png'), 'image');
    assert.equal(mimeFamily('IMAGE/SVG+XML; charset=utf-8'), 'image');
    assert.equal(mimeFamily('audio/mpeg'), 'audio');
    assert.equal(mimeFamily('video/mp4'), 'video');
    assert.equal(mimeFamily('text/markdown'), 'markdown');
    assert.equal(mimeFamily('text/plain', 'notes.md'), 'markdown');
    assert.equal(mimeFamily('application/json'), 'json');
    assert.equal(mimeFamily('application/geo+json'), 'json');
    assert.equal(mimeFamily('application/octet-stream', 'data.json'), 'json');
    assert.equal(mimeFamily('text/csv'), 'csv');
    assert.equal(mimeFamily('text/plain'), 'text');
    assert.equal(mimeFamily('application/x-ndjson'), 'text');
    assert.equal(mimeFamily('application/pdf'), 'pdf');
    assert.equal(mimeFamily('application/zip'), 'archive');
    assert.equal(mimeFamily('application/x-numpy', 'a.npy'), 'binary');
    assert.equal(mimeFamily(''), 'binary');
  });

  it('opens media in the built-in preview, text-like files as documents, the rest as files', () => {
    assert.equal(openKindOf('image'), 'media');
    assert.equal(openKindOf('video'), 'media');
    assert.equal(openKindOf('audio'), 'media');
    for (const family of ['markdown', 'json', 'csv', 'text'] as const) assert.equal(openKindOf(family), 'document');
    assert.equal(openKindOf('binary'), 'other');
    assert.equal(openKindOf('pdf'), 'other');
    for (const icon of Object.values(FAMILY_ICONS)) assert.match(icon, /^[a-z-]+$/);
  });

  it('item text: size, label, tags, deleted', () => {
    const text = artefactItemText({
      id: 1, runId: 'r', toolId: 'echo', outputKey: 'chart', relPath: 'echo/r/chart.png', filename: 'chart.png', mime: 'image/png',
      sizeBytes: 2048, createdAt: '2025-01-01T00:00:00.000Z', starred: true, label: 'best', tags: ['a', 'b'], deletedAt: '2025-01-02T00:00:00.000Z',
    });
    assert.equal(text.label, '★ chart.png');
    assert.equal(text.description, '2 KB · best · #a #b · deleted');
    assert.match(text.tooltip, /artefacts\/echo\/r\/chart.png/);
  });

  it('parses typed tag lists', () => {
    assert.deepEqual(parseTagList(' a, b  c,,#d, a '), ['a', 'b', 'c', 'd']);
    assert.deepEqual(parseTagList(''), []);
  });
});

describe('view queries', () => {
  let store: MemoryStore;
  before(async () => {
    store = await createMemoryStore();
    await initSchema(store);
    await store.write((q) => {
      for (let i = 0; i < 30; i++) {
        const id = `run-${String(i).padStart(2, '0')}`;
        insertStartedRun(q, { id, toolId: i % 3 === 0 ? 'img' : 'echo', startedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(), inputsJson: '{}' });
        if (i % 3 === 0) {
          for (const name of ['a.png', 'b.png']) {
            insertArtefact(q, { runId: id, toolId: 'img', outputKey: 'x', relPath: `img/${id}/${name}`, filename: name, mime: 'image/png', sizeBytes: 10, sha256: `${id}${name}`, createdAt: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString() });
          }
        }
      }
      q.run("UPDATE artefacts SET deleted_at = '2025-02-01T00:00:00Z' WHERE run_id = 'run-27'");
      q.run("UPDATE artefacts SET deleted_at = '2025-02-01T00:00:00Z' WHERE run_id = 'run-24' AND filename = 'a.png'");
      q.run("INSERT INTO workspaces(name, sort_order, collapsed, created_at) VALUES('W', 0, 0, '2025')");
      q.run("INSERT INTO tool_workspaces(tool_id, workspace_id, added_at) VALUES('echo', 1, '2025')");
      q.run("INSERT INTO tool_tags(tool_id, tag) VALUES('echo', 'b'), ('echo', 'a'), ('img', 'a')");
    });
  });
  after(() => store.close());

  it('lists runs with live artefacts newest first, paged by keyset, with counts and bytes', () => {
    const first = store.read((q) => runsWithArtefacts(q, { limit: 3, includeDeleted: false }));
    assert.deepEqual(first.map((r) => [r.id, r.count, r.bytes]), [['run-24', 1, 10], ['run-21', 2, 20], ['run-18', 2, 20]]);
    const next = store.read((q) => runsWithArtefacts(q, { limit: 100, includeDeleted: false, after: first[2] }));
    assert.deepEqual(next.map((r) => r.id), ['run-15', 'run-12', 'run-09', 'run-06', 'run-03', 'run-00']);
    const withDeleted = store.read((q) => runsWithArtefacts(q, { limit: 2, includeDeleted: true }));
    assert.deepEqual(withDeleted.map((r) => [r.id, r.count]), [['run-27', 2], ['run-24', 2]]);
    assert.deepEqual(store.read((q) => runsWithArtefacts(q, { limit: 5, includeDeleted: true, toolId: 'echo' })), []);
  });

  it('tools with runs / artefacts, memberships, tags, emptiness checks', () => {
    assert.deepEqual(store.read(toolsWithRuns), ['echo', 'img']);
    assert.deepEqual(store.read((q) => toolsWithArtefacts(q, false)), ['img']);
    assert.deepEqual(store.read(allMemberships), [{ toolId: 'echo', workspaceId: 1 }]);
    assert.deepEqual([...store.read(allToolTagPairs)], [['echo', ['a', 'b']], ['img', ['a']]]);
    assert.equal(store.read(hasAnyRun), true);
    assert.equal(store.read(hasAnyArtefact), true);
  });
});
