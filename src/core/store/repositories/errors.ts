// Errors the repositories throw for bad input; messages name the value and the rule so they can be shown as is.

export class RepositoryError extends Error {
  override name = 'RepositoryError';
}

/** A value breaks a rule (tag syntax, name length, out-of-range number…). */
export class InvalidValueError extends RepositoryError {
  override name = 'InvalidValueError';
}

/** A name that must be unique is taken (workspaces compare names case-insensitively). */
export class DuplicateNameError extends RepositoryError {
  override name = 'DuplicateNameError';
}

/** An id the operation depends on does not exist (e.g. adding a tool to an unknown workspace). */
export class NotFoundError extends RepositoryError {
  override name = 'NotFoundError';
}
