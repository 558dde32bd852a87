import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CONTEXT_FLAGS, contextValue, whenItem, type NodeKind } from '../../src/vscode/trees/contextValues';

const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as {
  contributes: { menus: Record<string, Array<{ command: string; when?: string }>> };
};

/** Evaluates the `viewItem =~ /re/` terms of a when clause against a contextValue (all must match). */
function viewItemTermsMatch(when: string, value: string): boolean {
  const terms = [...when.matchAll(/viewItem =~ \/((?:[^/\\]|\\.)+)\//g)];
  return terms.every(([, source]) => new RegExp(source!).test(value));
}

describe('contextValue builder', () => {
  it('puts the kind first, then every flag of the kind as +on / -off, in a fixed order', () => {
    assert.equal(contextValue('message'), 'message');
    assert.equal(contextValue('workspace'), 'workspace -first -last');
    assert.equal(
      contextValue('tool', { broken: true, favourite: true, archived: false }),
      'tool +favourite -pinned -archived -running +broken -inWorkspace -hasReport -first -last',
    );
    assert.equal(contextValue('run', { starred: true, hasError: true }), 'run +starred -labelled -running -failed +hasError');
  });

  it('ignores flags that do not belong to the kind', () => {
    const sneaky = { favourite: true, starred: true, last: true } as Record<string, boolean>;
    assert.equal(contextValue('workspace', sneaky), 'workspace -first +last');
  });

  it('when fragments tell kinds with a common prefix apart', () => {
    const runWhen = whenItem('run');
    assert.ok(viewItemTermsMatch(runWhen, contextValue('run', { starred: true })));
    assert.ok(!viewItemTermsMatch(runWhen, contextValue('runGroup')));
    assert.ok(!viewItemTermsMatch(whenItem('artefact'), contextValue('artefactRun')));
    assert.ok(!viewItemTermsMatch(whenItem('tool'), contextValue('artefactTool')));
  });

  it('flag present / absent fragments match exactly that flag', () => {
    const starred = contextValue('run', { starred: true, labelled: true });
    const plain = contextValue('run', { labelled: true });
    assert.ok(viewItemTermsMatch(whenItem('run', 'starred'), starred));
    assert.ok(!viewItemTermsMatch(whenItem('run', 'starred'), plain));
    assert.ok(viewItemTermsMatch(whenItem('run', 'starred', false), plain));
    assert.ok(!viewItemTermsMatch(whenItem('run', 'starred', false), starred));
    // `+last` must not be read as part of another flag
    assert.ok(!viewItemTermsMatch(whenItem('tool', 'last'), contextValue('tool', { first: true })));
    assert.ok(viewItemTermsMatch(whenItem('tool', 'last', false), contextValue('tool', { first: true })));
  });

  it('package.json uses no `!~` (VS Code when clauses have no such operator)', () => {
    assert.doesNotMatch(JSON.stringify(pkg.contributes.menus), /!~/);
  });

  it('package.json menus only use kinds and flags the builder produces', () => {
    const kinds = Object.keys(CONTEXT_FLAGS) as NodeKind[];
    const flags = new Set(Object.values(CONTEXT_FLAGS).flat());
    let checked = 0;
    for (const entries of Object.values(pkg.contributes.menus)) {
      for (const entry of entries) {
        for (const [, source] of (entry.when ?? '').matchAll(/viewItem =~ \/((?:[^/\\]|\\.)+)\//g)) {
          checked++;
          const kind = /^\^(\w+)\\b$/.exec(source!);
          const flag = /^(?:\\\+|-)(\w+)\\b$/.exec(source!);
          assert.ok(kind || flag, `${entry.command}: unexpected viewItem pattern /${source}/`);
          if (kind) assert.ok(kinds.includes(kind[1] as NodeKind), `${entry.command}: unknown kind ${kind[1]}`);
          if (flag) assert.ok(flags.has(flag[1] as never), `${entry.command}: unknown flag ${flag[1]}`);
        }
      }
    }
    assert.ok(checked > 40, `checked ${checked} viewItem terms`);
  });

  it('each item menu entry shows for some item of its kind (no dead entries)', () => {
    for (const entry of pkg.contributes.menus['view/item/context'] ?? []) {
      const when = entry.when ?? '';
      const kind = /viewItem =~ \/\^(\w+)\\b\//.exec(when)?.[1] as NodeKind | undefined;
      assert.ok(kind, `${entry.command} names a kind`);
      const all = CONTEXT_FLAGS[kind] as readonly string[];
      // Try every combination of up to two flags.
      const candidates = [contextValue(kind)];
      for (const a of all) for (const b of all) candidates.push(contextValue(kind, { [a]: true, [b]: true } as never));
      assert.ok(candidates.some((value) => viewItemTermsMatch(when, value)), `${entry.command} (${when}) matches no item`);
    }
  });
});
