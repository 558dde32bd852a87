// File names that look like they hold a secret are not kept as is (reference §4.3, §10): the file is renamed
// `redacted-<sha1(name)[:8]><ext>` and the original name kept only in a tag.
import crypto from 'node:crypto';
import path from 'node:path';

export const SECRET_NAME_PATTERN = /password|secret|token|api[_-]?key|auth|bearer|jwt|credential/i;
export const REDACTED_ORIGINAL_TAG_PREFIX = '_redacted_original:';

export function isSecretLookingName(name: string): boolean {
  return SECRET_NAME_PATTERN.test(name);
}

/** The name a secret-looking file gets; the extension survives so the MIME type does. */
export function redactedFilename(name: string): string {
  const digest = crypto.createHash('sha1').update(name).digest('hex').slice(0, 8);
  return `redacted-${digest}${path.extname(name)}`;
}

export interface RedactedName {
  name: string;
  /** The tags the artefact row carries: `_redacted_original:<name>` when renamed, else none. */
  tags: string[];
}

/** `name` unchanged, or its redacted form with the tag that records the original. */
export function redactName(name: string): RedactedName {
  if (!isSecretLookingName(name)) return { name, tags: [] };
  return { name: redactedFilename(name), tags: [`${REDACTED_ORIGINAL_TAG_PREFIX}${name}`] };
}
