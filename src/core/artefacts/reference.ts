// The one definition of an artefact reference: what an output value becomes once its bytes live in a file. Stored
// in outputs_json (and in the `_pixie_run_outputs` artefact), read back by history replay and the renderer. No
// imports, so the webview bundle can share this file.

export const ARTEFACT_REF_KEY = '_pixie_artefact';
/** output_key (and filename stem) of the artefact holding a run's whole rewritten outputs when they are oversize. */
export const RUN_OUTPUTS_KEY = '_pixie_run_outputs';

/**
 * How to turn the file back into the output value: `file` — the value IS the file (image, audio, video, file
 * outputs: show or link it); `text` — the value was a string, the file holds it as UTF-8; `json` — the value was
 * structured, the file holds its JSON.
 */
export type ArtefactValueKind = 'file' | 'text' | 'json';

export interface ArtefactRef {
  id: number;
  /** Relative to the artefacts root, forward slashes. Resolve it only through resolveArtefactPath. */
  rel_path: string;
  mime: string;
  size: number;
  sha256: string;
  filename: string;
  kind: ArtefactValueKind;
}

/** `{"_pixie_artefact": {...}}`, plus the value's non-byte fields kept beside it (e.g. a file's `filename`). */
export type ArtefactReference = { [ARTEFACT_REF_KEY]: ArtefactRef } & Record<string, unknown>;

/** The fields of a stored artefact row a reference copies. */
export interface ReferencedArtefact {
  id: number;
  relPath: string;
  mime: string;
  sizeBytes: number;
  sha256: string;
  filename: string;
}

export function makeArtefactReference(
  artefact: ReferencedArtefact,
  kind: ArtefactValueKind,
  siblings: Readonly<Record<string, unknown>> = {},
): ArtefactReference {
  const ref: ArtefactRef = {
    id: artefact.id,
    rel_path: artefact.relPath,
    mime: artefact.mime,
    size: artefact.sizeBytes,
    sha256: artefact.sha256,
    filename: artefact.filename,
    kind,
  };
  const rest = Object.fromEntries(Object.entries(siblings).filter(([k]) => k !== ARTEFACT_REF_KEY));
  return { [ARTEFACT_REF_KEY]: ref, ...rest };
}

const KINDS: readonly string[] = ['file', 'text', 'json'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The reference inside a value, if it is a well-formed artefact reference. */
export function artefactRefOf(value: unknown): ArtefactRef | undefined {
  if (!isRecord(value)) return undefined;
  const ref = value[ARTEFACT_REF_KEY];
  if (!isRecord(ref)) return undefined;
  const ok =
    Number.isSafeInteger(ref.id) &&
    typeof ref.rel_path === 'string' &&
    typeof ref.mime === 'string' &&
    Number.isSafeInteger(ref.size) &&
    typeof ref.sha256 === 'string' &&
    typeof ref.filename === 'string' &&
    typeof ref.kind === 'string' &&
    KINDS.includes(ref.kind);
  return ok ? (ref as unknown as ArtefactRef) : undefined;
}

export function isArtefactReference(value: unknown): value is ArtefactReference {
  return artefactRefOf(value) !== undefined;
}

/** Whether a reference occurs anywhere inside a value (an image_grid keeps one per image). */
export function containsArtefactReference(value: unknown): boolean {
  if (isArtefactReference(value)) return true;
  if (Array.isArray(value)) return value.some(containsArtefactReference);
  if (isRecord(value)) return Object.values(value).some(containsArtefactReference);
  return false;
}
