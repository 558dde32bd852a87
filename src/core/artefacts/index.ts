// Artefacts: files a run produced, under `<artefacts root>/<tool_id>/<run_id>/`. See docs/ARTEFACTS.md.
export { ArtefactPathError, isInside, makeRunFolder, requireToolId, RESERVED_DIRS, resolveArtefactPath, runFolder, runFolderPath, runFolderRel, safeJoin, toRelPath } from './paths';
export { baseMime, checkMime, extensionForMime, EXTRA_MIME_TYPES, FALLBACK_MIME, mimeForFilename, sniffMime, type MimeCheck } from './mime';
export { hashFile, sha256Bytes, sha256File, type FileDigest } from './hash';
export { decodeDataUrl, isDataUrl, type DecodedDataUrl } from './dataUrl';
export { isSecretLookingName, redactedFilename, redactName, REDACTED_ORIGINAL_TAG_PREFIX, SECRET_NAME_PATTERN } from './secretNames';
export * from './reference';
export { spillOutputs, type MimeMismatch, type SpillMetaPatch, type SpillOptions, type SpillOutputSpec, type SpillResult } from './spill';
export {
  inferOutputKey,
  scanRunFolder,
  type QuarantinedEntry,
  type RedactedEntry,
  type ScanOptions,
  type ScanResult,
  type ScanSkipReason,
} from './scan';
export { folderBytes, QUOTA_POLL_MS, QuotaWatchdog, quotaExceededMessage, type QuotaExceeded, type QuotaWatchdogOptions } from './quotaWatchdog';
export { ArtefactMissingError, loadRunOutputs, readReferencedValue } from './replay';
export { findReusableArtefact, insertRunArtefacts } from './registry';
