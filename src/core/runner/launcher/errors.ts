// Errors the launcher throws on purpose; each message says what went wrong and what to do about it.

export type LaunchErrorKind = 'venv' | 'spawn' | 'timeout' | 'exit';

export interface LaunchErrorDetails {
  toolId: string;
  /** The tool's stderr captured so far ('' when none). */
  stderr?: string;
  exitCode?: number | null;
  signal?: NodeJS.Signals | null;
  cause?: unknown;
}

/** A tool process could not be started, or did not become healthy. */
export class LaunchError extends Error {
  override name = 'LaunchError';
  readonly kind: LaunchErrorKind;
  readonly toolId: string;
  readonly stderr: string;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;

  constructor(kind: LaunchErrorKind, message: string, details: LaunchErrorDetails) {
    const stderr = details.stderr ?? '';
    super(stderr.trim() ? `${message}\n--- stderr ---\n${stderr.trimEnd()}` : message, { cause: details.cause });
    this.kind = kind;
    this.toolId = details.toolId;
    this.stderr = stderr;
    this.exitCode = details.exitCode ?? null;
    this.signal = details.signal ?? null;
  }
}

/** The launcher was disposed (extension shutting down); no new process is started. */
export class LauncherDisposedError extends Error {
  override name = 'LauncherDisposedError';
  constructor() {
    super('Pixie is shutting down: tool processes can no longer be started.');
  }
}
