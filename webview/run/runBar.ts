// Run and Cancel, the run's status and elapsed time. Sticky at the bottom of the inputs (split layout: between the
// inputs and the outputs, sticking to the top or bottom edge; chat layout: the composer's Send and Stop).
import type { RunStatus, RunView, TrustState } from '../../src/protocol';
import { clear, custom, el, formatDuration } from '../dom';
import type { ButtonElement } from '../elements/types';

export interface RunBarActions {
  run(): void;
  cancel(): void;
  manageTrust(): void;
}

/** What the two buttons say (the chat composer calls them Send and Stop). */
export interface RunBarLabels {
  run: string;
  runTitle: string;
  runIcon: string;
  cancel: string;
}

const RUN_LABELS: RunBarLabels = { run: 'Run', runTitle: 'Run (Ctrl+Enter)', runIcon: 'play', cancel: 'Cancel' };
export const CHAT_LABELS: RunBarLabels = { run: 'Send', runTitle: 'Send (Enter)', runIcon: 'send', cancel: 'Stop' };

const FINISHED: Record<Exclude<RunStatus, 'running'>, string> = { ok: 'Finished', error: 'Failed', cancelled: 'Cancelled' };

export class RunBar {
  readonly element: HTMLElement;
  private readonly runButton: ButtonElement;
  private readonly cancelButton: ButtonElement;
  private readonly status = el('span', { className: 'run-status', attrs: { role: 'status', 'aria-live': 'polite' } });
  private readonly elapsed = el('span', { className: 'run-elapsed', attrs: { 'aria-hidden': 'true' } });
  private readonly errors = el('ul', { className: 'form-errors', attrs: { role: 'alert' } });
  private readonly restricted = el('div', { className: 'restricted-note' });
  private timer: ReturnType<typeof setInterval> | undefined;
  private trusted = true;
  private runnable = true;
  private busy = false;

  constructor(
    private readonly actions: RunBarActions,
    labels: RunBarLabels = RUN_LABELS,
  ) {
    this.runButton = custom<ButtonElement>('vscode-button', { className: 'run-button', attrs: { title: labels.runTitle } }, labels.run);
    this.runButton.icon = labels.runIcon;
    this.runButton.addEventListener('click', () => {
      if (!this.runButton.disabled) actions.run();
    });
    this.cancelButton = custom<ButtonElement>('vscode-button', { className: 'cancel-button' }, labels.cancel);
    this.cancelButton.icon = 'debug-stop';
    this.cancelButton.secondary = true;
    this.cancelButton.hidden = true;
    this.cancelButton.addEventListener('click', () => actions.cancel());
    this.restricted.hidden = true;
    this.errors.hidden = true;
    this.element = el(
      'div',
      { className: 'run-bar' },
      el('div', { className: 'run-buttons' }, this.runButton, this.cancelButton, this.status, this.elapsed),
      this.errors,
      this.restricted,
    );
    this.idle('Ready.');
  }

  setTrust(trust: TrustState): void {
    this.trusted = trust.trusted;
    clear(this.restricted);
    this.restricted.hidden = trust.trusted;
    if (!trust.trusted) {
      const manage = el('button', { className: 'link-button', attrs: { type: 'button' }, text: 'Manage Workspace Trust' });
      manage.addEventListener('click', () => this.actions.manageTrust());
      this.restricted.append(
        el('span', { text: trust.message ?? 'This folder is in Restricted Mode: Pixie shows tools and history but does not run them. ' }),
        ' ',
        manage,
      );
    }
    this.refreshRunButton();
  }

  /** false: the tool cannot run at all (broken tool.json); `why` is shown. */
  setRunnable(runnable: boolean, why?: string): void {
    this.runnable = runnable;
    this.refreshRunButton();
    if (!runnable && why) this.idle(why);
  }

  get isBusy(): boolean {
    return this.busy;
  }

  get canRun(): boolean {
    return this.trusted && this.runnable && !this.busy;
  }

  idle(text: string): void {
    this.stopTimer();
    this.busy = false;
    this.cancelButton.hidden = true;
    this.status.textContent = text;
    this.refreshRunButton();
  }

  starting(): void {
    this.busy = true;
    this.status.textContent = 'Starting…';
    this.refreshRunButton();
  }

  running(startedAtMs: number, spawning: boolean): void {
    this.busy = true;
    this.cancelButton.hidden = false;
    this.cancelButton.disabled = false;
    this.status.textContent = spawning ? 'Starting the tool…' : 'Running…';
    this.refreshRunButton();
    this.stopTimer();
    const tick = (): void => {
      this.elapsed.textContent = formatDuration(Math.max(0, Date.now() - startedAtMs));
    };
    tick();
    this.timer = setInterval(tick, 200);
  }

  spawning(): void {
    if (this.busy) this.status.textContent = 'Starting the tool…';
  }

  /** Output is arriving: the tool is up (after "Starting the tool…"). */
  receiving(): void {
    if (this.busy && !this.cancelButton.disabled) this.status.textContent = 'Running…';
  }

  cancelling(): void {
    this.cancelButton.disabled = true;
    this.status.textContent = 'Cancelling…';
  }

  finished(run: RunView): void {
    this.idle(describeRun(run));
    this.elapsed.textContent = '';
  }

  setErrors(messages: readonly string[]): void {
    clear(this.errors);
    for (const message of messages) this.errors.appendChild(el('li', { text: message }));
    this.errors.hidden = messages.length === 0;
  }

  dispose(): void {
    this.stopTimer();
  }

  private refreshRunButton(): void {
    this.runButton.disabled = !this.canRun;
    this.runButton.setAttribute('aria-disabled', String(!this.canRun));
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}

/** "Finished in 1.2 s", "Failed after 3.0 s", "Cancelled". */
export function describeRun(run: Pick<RunView, 'status' | 'durationMs'>): string {
  if (run.status === 'running') return 'Running…';
  const verb = FINISHED[run.status];
  if (run.durationMs === null) return `${verb}.`;
  return `${verb} ${run.status === 'ok' ? 'in' : 'after'} ${formatDuration(run.durationMs)}.`;
}
