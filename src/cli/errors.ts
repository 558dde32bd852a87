// Exit codes of every `pixie` verb: 0 success, 1 failure, 2 bad usage.

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** The command line itself is wrong (unknown flag value, missing argument, unknown id given by the user). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The verb ran and failed; `exitCode` defaults to 1. */
export class CliFailure extends Error {
  override name = 'CliFailure';
  constructor(
    message: string,
    readonly exitCode = EXIT_FAILURE,
  ) {
    super(message);
  }
}
