// Libraries with costly top-level code are loaded on first use, not when the extension's bundle loads: the helper,
// and that mime-types and yaml really stay unloaded until a lookup or a YAML document needs them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadOnFirstUse } from '../../src/core/loadOnFirstUse';
import { extensionForMime, mimeForFilename } from '../../src/core/artefacts/mime';
import { jsonTree, yamlTree } from '../../src/core/tools/sourceTree';

const loaded = (pkg: string): boolean => Object.keys(require.cache).some((file) => file.includes(`/node_modules/${pkg}/`));

describe('loadOnFirstUse', () => {
  it('loads on the first call only and returns the same value after', () => {
    let loads = 0;
    const get = loadOnFirstUse(() => ({ n: ++loads }));
    assert.equal(loads, 0, 'nothing loaded by creating the getter');
    const first = get();
    assert.equal(get(), first);
    assert.equal(loads, 1);
  });

  it('keeps a falsy value (loaded once, not again and again)', () => {
    let loads = 0;
    const get = loadOnFirstUse(() => {
      loads++;
      return undefined;
    });
    get();
    get();
    assert.equal(loads, 1);
  });

  it('a load that throws is tried again on the next call', () => {
    let loads = 0;
    const get = loadOnFirstUse(() => {
      if (++loads === 1) throw new Error('not yet');
      return 'ok';
    });
    assert.throws(get, /not yet/);
    assert.equal(get(), 'ok');
    assert.equal(loads, 2);
  });
});

describe('libraries loaded on first use', () => {
  it('mime-types is not loaded by importing the artefact helpers, only by the first lookup', () => {
    assert.equal(loaded('mime-types'), false, 'importing src/core/artefacts/mime loaded mime-types');
    assert.equal(mimeForFilename('a.png'), 'image/png');
    assert.equal(loaded('mime-types'), true);
    assert.equal(extensionForMime('application/json'), 'json');
    assert.equal(mimeForFilename('x.unknownext'), 'application/octet-stream');
  });

  it('yaml is not loaded by the source tree module, nor by JSON documents, only by the first YAML document', () => {
    assert.equal(loaded('yaml'), false, 'importing src/core/tools/sourceTree loaded yaml');
    assert.equal(jsonTree('{"a": 1}').problems.length, 0);
    assert.equal(loaded('yaml'), false, 'a JSON document loaded yaml');
    const tree = yamlTree('a: 1\nb: [x, y]\n');
    assert.deepEqual(tree.problems, []);
    assert.equal(tree.root?.kind, 'object');
    assert.equal(loaded('yaml'), true);
  });
});
