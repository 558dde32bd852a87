// The pure parts of fast activation: the ready gate, the command table every contributed command dispatches through
// (a call made before the services exist waits, then runs or is answered as unavailable), and the late tree
// provider the views are created with.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LateTreeDataProvider } from '../../src/vscode/activation/lateTree';
import { ReadyGate } from '../../src/vscode/activation/readyGate';
import { CommandTable } from '../../src/vscode/commands/commandTable';

/** Lets queued promise callbacks run. */
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Whether `promise` has settled by now. */
async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await tick();
  return settled;
}

describe('ReadyGate', () => {
  it('stays pending until opened, then resolves settled once', async () => {
    const gate = new ReadyGate();
    assert.equal(gate.state, 'pending');
    assert.equal(await isSettled(gate.settled), false);
    assert.equal(gate.open(), true);
    assert.equal(gate.state, 'ready');
    assert.equal(gate.failure, undefined);
    assert.equal(await isSettled(gate.settled), true);
  });

  it('fails with a reason; the first settle wins and settled never rejects', async () => {
    const gate = new ReadyGate();
    assert.equal(gate.fail('pixie.db is a directory'), true);
    assert.equal(gate.open(), false, 'a failed gate does not open later');
    assert.equal(gate.fail('another reason'), false);
    assert.equal(gate.state, 'failed');
    assert.equal(gate.failure, 'pixie.db is a directory');
    await gate.settled; // resolves (would throw here if it rejected)
    const opened = new ReadyGate();
    opened.open();
    assert.equal(opened.fail('too late'), false);
    assert.equal(opened.state, 'ready');
  });
});

describe('CommandTable', () => {
  const make = () => {
    const gate = new ReadyGate();
    const unavailable: string[] = [];
    const table = new CommandTable(['pixie.a', 'pixie.b'], gate, (id) => {
      unavailable.push(id);
      return 'unavailable';
    });
    return { gate, table, unavailable };
  };

  it('a call made before the handler exists waits for the gate, then runs the handler with its arguments', async () => {
    const { gate, table, unavailable } = make();
    const call = table.invoke('pixie.a', [1, 'two']);
    assert.equal(await isSettled(call), false, 'waits while the store opens');
    table.set('pixie.a', (...args) => `ran with ${JSON.stringify(args)}`);
    assert.equal(await isSettled(call), false, 'still waits: the gate is what releases it');
    gate.open();
    assert.equal(await call, 'ran with [1,"two"]');
    assert.deepEqual(unavailable, []);
  });

  it('after the gate opened, calls run at once; async results and rejections pass through', async () => {
    const { gate, table } = make();
    table.set('pixie.a', async () => 42);
    table.set('pixie.b', async () => {
      throw new Error('boom');
    });
    gate.open();
    assert.equal(await table.invoke('pixie.a', []), 42);
    await assert.rejects(table.invoke('pixie.b', []), /boom/);
  });

  it('a failed gate answers every call as unavailable, even where a handler was set', async () => {
    const { gate, table, unavailable } = make();
    let ran = false;
    table.set('pixie.a', () => (ran = true));
    const early = table.invoke('pixie.a', []);
    gate.fail('could not open pixie.db');
    assert.equal(await early, 'unavailable');
    assert.equal(await table.invoke('pixie.b', []), 'unavailable');
    assert.equal(ran, false);
    assert.deepEqual(unavailable, ['pixie.a', 'pixie.b']);
  });

  it('a command without a handler after the gate opened is unavailable and listed as missing', async () => {
    const { gate, table, unavailable } = make();
    const handler = table.set('pixie.a', () => 'a');
    assert.deepEqual(table.missing(), ['pixie.b']);
    gate.open();
    assert.equal(await table.invoke('pixie.b', []), 'unavailable');
    handler.dispose();
    assert.equal(table.has('pixie.a'), false);
    assert.equal(await table.invoke('pixie.a', []), 'unavailable');
    assert.deepEqual(unavailable, ['pixie.b', 'pixie.a']);
  });

  it('refuses unknown ids and a second handler (as VS Code refuses a duplicate command)', () => {
    const { table } = make();
    assert.throws(() => table.set('pixie.c' as 'pixie.a', () => undefined), /not registered at activation/);
    const first = table.set('pixie.a', () => 1);
    assert.throws(() => table.set('pixie.a', () => 2), /already has a handler/);
    first.dispose();
    table.set('pixie.a', () => 3); // free again once disposed
  });

  it('disposing an old handler does not remove its replacement', async () => {
    const { gate, table } = make();
    const old = table.set('pixie.a', () => 'old');
    old.dispose();
    table.set('pixie.a', () => 'new');
    old.dispose();
    gate.open();
    assert.equal(await table.invoke('pixie.a', []), 'new');
  });
});

interface Node {
  id: string;
}

/** A tree as the real ones behave: rows from a list, a change event, parents by id prefix. */
class FakeTree {
  rows: Node[] = [{ id: 'a' }, { id: 'b' }];
  private readonly listeners = new Set<(change: Node | undefined) => void>();
  calls = 0;
  readonly onDidChangeTreeData = (listener: (change: Node | undefined) => void) => {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  };
  getChildren(element?: Node): Node[] {
    this.calls++;
    return element ? [{ id: `${element.id}/1` }] : this.rows;
  }
  getTreeItem(element: Node): { label: string } {
    return { label: element.id.toUpperCase() };
  }
  getParent(element: Node): Node | undefined {
    return element.id.includes('/') ? { id: element.id.split('/')[0]! } : undefined;
  }
  fire(change?: Node): void {
    for (const listener of this.listeners) listener(change);
  }
}

describe('LateTreeDataProvider', () => {
  it('getChildren waits for the gate, then answers from the tree bound meanwhile (no placeholder rows)', async () => {
    const gate = new ReadyGate();
    const late = new LateTreeDataProvider<Node>(gate);
    const rows = late.getChildren();
    assert.equal(await isSettled(rows), false);
    const tree = new FakeTree();
    late.bind(tree);
    assert.equal(await isSettled(rows), false, 'bound, but the gate is still closed');
    gate.open();
    assert.deepEqual(await rows, [{ id: 'a' }, { id: 'b' }]);
    assert.deepEqual(await late.getChildren({ id: 'a' }), [{ id: 'a/1' }]);
    assert.deepEqual(late.getTreeItem({ id: 'x' }), { label: 'X' });
    assert.deepEqual(late.getParent({ id: 'a/1' }), { id: 'a' });
  });

  it('passes the tree’s change events on, and stops when unbound (the view empties)', async () => {
    const gate = new ReadyGate();
    const late = new LateTreeDataProvider<Node>(gate);
    const seen: unknown[] = [];
    const subscription = late.onDidChangeTreeData((change) => seen.push(change ?? 'all'));
    const tree = new FakeTree();
    const binding = late.bind(tree);
    assert.deepEqual(seen, [], 'binding before the gate opens asks for nothing: the pending request gets the rows');
    gate.open();
    tree.fire({ id: 'a' });
    tree.fire();
    assert.deepEqual(seen, [{ id: 'a' }, 'all']);
    binding.dispose();
    assert.deepEqual(seen, [{ id: 'a' }, 'all', 'all'], 'unbinding refreshes the view');
    tree.fire();
    assert.equal(seen.length, 3, 'no events from an unbound tree');
    assert.deepEqual(await late.getChildren(), []);
    assert.throws(() => late.getTreeItem({ id: 'a' }), /no tree/);
    subscription.dispose();
    late.bind(tree);
    assert.equal(seen.length, 3, 'a disposed listener hears nothing');
  });

  it('binding after the gate settled asks the view to reload; a second tree is refused', () => {
    const gate = new ReadyGate();
    gate.open();
    const late = new LateTreeDataProvider<Node>(gate);
    const seen: unknown[] = [];
    late.onDidChangeTreeData((change) => seen.push(change ?? 'all'));
    late.bind(new FakeTree());
    assert.deepEqual(seen, ['all']);
    assert.throws(() => late.bind(new FakeTree()), /already has a tree/);
  });

  it('a failed gate gives no rows and never asks a tree', async () => {
    const gate = new ReadyGate();
    const late = new LateTreeDataProvider<Node>(gate);
    const tree = new FakeTree();
    late.bind(tree); // bound (say) before a later start-up step failed
    const rows = late.getChildren();
    gate.fail('could not open pixie.db');
    assert.deepEqual(await rows, []);
    assert.equal(tree.calls, 0);
  });

  it('listeners registered with thisArgs and a disposables array behave like vscode.Event', () => {
    const gate = new ReadyGate();
    const late = new LateTreeDataProvider<Node>(gate);
    const owner = { hits: 0 };
    const bag: { dispose(): unknown }[] = [];
    late.onDidChangeTreeData(
      function (this: typeof owner) {
        this.hits++;
      },
      owner,
      bag,
    );
    gate.open();
    const tree = new FakeTree();
    late.bind(tree);
    assert.equal(owner.hits, 1);
    assert.equal(bag.length, 1);
    bag[0]!.dispose();
    tree.fire();
    assert.equal(owner.hits, 1);
  });
});
