import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  InvalidValueError,
  createRepositories,
  type Repositories,
  type ValidationReportRecord,
} from '../../src/core/store/repositories';
import { initSchema } from '../../src/core/store/schema';
import { isoAt } from '../helpers/isoAt';
import { createTestStore, type TestStore } from '../helpers/testStore';

let ts: TestStore;
let repos: Repositories;
beforeEach(async () => {
  ts = await createTestStore();
  await initSchema(ts.store);
  repos = createRepositories(ts.store);
});
afterEach(async () => {
  await ts.cleanup();
});

describe('settings repository', () => {
  it('round-trips, upserts, lists and deletes; a missing key is undefined', async () => {
    assert.equal(repos.settings.get('theme'), undefined);
    await repos.settings.set('theme', 'dark');
    await repos.settings.set('theme', 'nord');
    await repos.settings.set('accent', 'ember');
    assert.equal(repos.settings.get('theme'), 'nord');
    assert.deepEqual(repos.settings.getAll(), { accent: 'ember', theme: 'nord' });
    assert.equal(await repos.settings.delete('theme'), true);
    assert.equal(await repos.settings.delete('theme'), false);
    assert.deepEqual(repos.settings.getAll(), { accent: 'ember' });
    await assert.rejects(repos.settings.set('', 'x'), InvalidValueError);
  });

  it('JSON helpers: values round-trip, invalid stored JSON reads as undefined, unstorable values are refused', async () => {
    await repos.settings.setJson('export_destinations', [{ name: 'desk', path: '/tmp' }]);
    assert.deepEqual(repos.settings.getJson('export_destinations'), [{ name: 'desk', path: '/tmp' }]);
    await repos.settings.setJson('n', 0);
    assert.equal(repos.settings.getJson('n'), 0);
    await repos.settings.set('broken', '{nope');
    assert.equal(repos.settings.getJson('broken'), undefined);
    assert.equal(repos.settings.getJson('missing'), undefined);
    await assert.rejects(repos.settings.setJson('f', () => 1), TypeError);
    assert.equal(repos.settings.get('f'), undefined);
  });
});

describe('validation reports repository', () => {
  const report = (toolId: string, at: number, overall: ValidationReportRecord['overall']): ValidationReportRecord => ({
    toolId,
    timestamp: isoAt(at),
    overall,
    reportJson: JSON.stringify({ tool_id: toolId, overall, at }),
  });

  it('inserts (replace on same key), gives latest, latest for all tools and history newest first', async () => {
    await repos.validationReports.insert(report('a', 1, 'fail'));
    await repos.validationReports.insert(report('a', 3, 'pass'));
    await repos.validationReports.insert(report('a', 2, 'warn'));
    await repos.validationReports.insert(report('b', 1, 'skip'));
    await repos.validationReports.insert({ ...report('b', 1, 'warn'), reportJson: '{"replaced":true}' });
    assert.equal(repos.validationReports.latest('a')?.overall, 'pass');
    assert.deepEqual(repos.validationReports.latest('b'), {
      toolId: 'b', timestamp: isoAt(1), overall: 'warn', reportJson: '{"replaced":true}',
    });
    assert.equal(repos.validationReports.latest('none'), undefined);
    assert.deepEqual(
      repos.validationReports.latestForAll().map((r) => [r.toolId, r.overall]),
      [['a', 'pass'], ['b', 'warn']],
    );
    assert.deepEqual(repos.validationReports.history('a').map((r) => r.overall), ['pass', 'warn', 'fail']);
    assert.deepEqual(repos.validationReports.history('a', 1).map((r) => r.overall), ['pass']);
  });

  it('prunes old reports but never a tool’s latest one (the original’s bug is not copied)', async () => {
    await repos.validationReports.insert(report('old-only', 1, 'pass'));
    await repos.validationReports.insert(report('mixed', 1, 'fail'));
    await repos.validationReports.insert(report('mixed', 2, 'warn'));
    await repos.validationReports.insert(report('mixed', 100, 'pass'));
    await repos.validationReports.insert(report('stale-pair', 5, 'fail'));
    await repos.validationReports.insert(report('stale-pair', 6, 'pass'));
    assert.equal(await repos.validationReports.pruneOlderThan(isoAt(50)), 3);
    assert.deepEqual(repos.validationReports.history('old-only').map((r) => r.timestamp), [isoAt(1)]);
    assert.deepEqual(repos.validationReports.history('mixed').map((r) => r.timestamp), [isoAt(100)]);
    assert.deepEqual(repos.validationReports.history('stale-pair').map((r) => r.timestamp), [isoAt(6)]);
    assert.equal(await repos.validationReports.pruneOlderThan(isoAt(50)), 0);
  });

  it('rejects an unknown overall, invalid report JSON and a missing tool id', async () => {
    await assert.rejects(repos.validationReports.insert({ ...report('a', 1, 'pass'), overall: 'great' as 'pass' }), InvalidValueError);
    await assert.rejects(repos.validationReports.insert({ ...report('a', 1, 'pass'), reportJson: '{' }), InvalidValueError);
    await assert.rejects(repos.validationReports.insert(report('', 1, 'pass')), InvalidValueError);
    assert.deepEqual(repos.validationReports.latestForAll(), []);
  });
});

describe('validate jobs repository', () => {
  it('starts, updates partially, finishes; running() and latest() follow', async () => {
    await repos.validateJobs.start('j1', 3, isoAt(0));
    await repos.validateJobs.start('j2', 5, isoAt(10));
    assert.deepEqual(repos.validateJobs.get('j1'), {
      id: 'j1', startedAt: isoAt(0), finishedAt: null, status: 'running', total: 3, completed: 0, passed: 0, warned: 0,
      failed: 0, detailsJson: null,
    });
    assert.equal(await repos.validateJobs.update('j1', { completed: 2, passed: 1, failed: 1 }), true);
    assert.deepEqual(repos.validateJobs.running().map((j) => j.id), ['j1', 'j2']);
    assert.equal(
      await repos.validateJobs.update('j1', { completed: 3, warned: 1, status: 'done', finishedAt: isoAt(5), detailsJson: '{"x":1}' }),
      true,
    );
    const j1 = repos.validateJobs.get('j1');
    assert.deepEqual(
      [j1?.completed, j1?.passed, j1?.warned, j1?.failed, j1?.status, j1?.finishedAt, j1?.detailsJson],
      [3, 1, 1, 1, 'done', isoAt(5), '{"x":1}'],
    );
    assert.deepEqual(repos.validateJobs.running().map((j) => j.id), ['j2']);
    assert.equal(repos.validateJobs.latest()?.id, 'j2');
    assert.equal(await repos.validateJobs.update('j2', {}), true);
  });

  it('unknown ids, bad counters, bad status and duplicate ids are reported', async () => {
    assert.equal(repos.validateJobs.latest(), undefined);
    assert.equal(repos.validateJobs.get('nope'), undefined);
    assert.equal(await repos.validateJobs.update('nope', { completed: 1 }), false);
    assert.equal(await repos.validateJobs.update('nope', {}), false);
    await assert.rejects(repos.validateJobs.start('j', -1, isoAt(0)), InvalidValueError);
    await repos.validateJobs.start('j', 1, isoAt(0));
    await assert.rejects(repos.validateJobs.start('j', 1, isoAt(1)), /UNIQUE/);
    await assert.rejects(repos.validateJobs.update('j', { completed: -2 }), InvalidValueError);
    await assert.rejects(repos.validateJobs.update('j', { status: 'weird' as 'done' }), InvalidValueError);
    assert.equal(repos.validateJobs.get('j')?.completed, 0);
  });
});
