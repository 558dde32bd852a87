// Every contributed command is registered with VS Code inside activate() — a command invoked while the store is
// still opening must not fail with "command not found" — and dispatches through this table. The command modules
// fill in the handlers once the services exist; a call waits for the ready gate, then runs its handler — or, when the
// gate failed or the command has no handler, `unavailable` (which tells the user why). Pure (no vscode import):
// activation/shell.ts does the registering.

export type CommandHandler = (...args: unknown[]) => unknown;

export class CommandTable<Id extends string = string> {
  private readonly handlers = new Map<Id, CommandHandler>();
  private readonly known: ReadonlySet<Id>;

  constructor(
    readonly ids: readonly Id[],
    private readonly gate: { readonly settled: Promise<void>; readonly state: 'pending' | 'ready' | 'failed' },
    /** Called instead of the handler when the gate failed (no store, the window closing) or there is no handler. */
    private readonly unavailable: (id: Id) => unknown,
  ) {
    this.known = new Set(ids);
  }

  /** Installs the handler of a registered command; disposing removes it again. */
  set(id: Id, handler: CommandHandler): { dispose(): void } {
    if (!this.known.has(id)) throw new Error(`command '${id}' is not registered at activation (add it to the command table)`);
    if (this.handlers.has(id)) throw new Error(`command '${id}' already has a handler`);
    this.handlers.set(id, handler);
    return {
      dispose: () => {
        if (this.handlers.get(id) === handler) this.handlers.delete(id);
      },
    };
  }

  has(id: Id): boolean {
    return this.handlers.has(id);
  }

  /** Registered ids that have no handler (after wiring: none, or a command would only ever say "unavailable"). */
  missing(): Id[] {
    return this.ids.filter((id) => !this.handlers.has(id));
  }

  /** What VS Code's registered callback runs: waits for the gate, then the handler (its result or rejection as is). */
  async invoke(id: Id, args: readonly unknown[]): Promise<unknown> {
    await this.gate.settled;
    const handler = this.gate.state === 'ready' ? this.handlers.get(id) : undefined;
    return handler ? handler(...args) : this.unavailable(id);
  }
}
