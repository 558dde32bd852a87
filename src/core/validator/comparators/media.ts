// image / image_grid / image_compare / audio / video. Images compare by SSIM when both sides are PNGs we
// can decode (min_ssim 0.95 by default); audio (spectrogram L2), video (per-frame SSIM) and other image
// formats have no decoder here, so they fall back to size + SHA-256 and say so (the check then warns).
import type { OutputType } from '../../tools/model';
import { decodeDataUrl, fingerprint, mediaSource } from './binary';
import { decodePng } from './png';
import { ssimGray } from './ssim';
import type { Comparator, CompareOutcome, Tolerance } from './types';
import { isRecord, kindOf, modeSetting, numberSetting } from './values';

const IMAGE_MODES = ['ssim', 'ssim_per_image', 'ssim_pair', 'size_sha256', 'skip'];
const AUDIO_MODES = ['spectrogram_l2', 'size_sha256', 'skip'];
const VIDEO_MODES = ['skip', 'per_frame_ssim_mean', 'size_sha256'];

function bySizeAndHash(comparator: string, e: string, a: string, path: string, degradedFrom: string | undefined): CompareOutcome {
  const fe = fingerprint(e);
  const fa = fingerprint(a);
  const degraded = degradedFrom !== undefined;
  const why = degraded ? ` (compared by size + SHA-256: no ${degradedFrom} comparator is available here)` : '';
  if (fe.size === fa.size && fe.sha256 === fa.sha256) {
    return { ok: true, comparator, degraded, note: degraded ? `identical bytes${why}` : undefined };
  }
  const what = fe.isUrl || fa.isUrl ? 'URL' : 'bytes';
  return {
    ok: false,
    comparator,
    degraded,
    path,
    expected: { size: fe.size, sha256: fe.sha256 },
    actual: { size: fa.size, sha256: fa.sha256 },
    metric: `${path || 'value'}: ${what} differ — ${fa.size} bytes (sha256 ${fa.sha256.slice(0, 12)}…) vs expected ${fe.size} bytes (${fe.sha256.slice(0, 12)}…)${why}`,
  };
}

function compareImage(comparator: string, e: string, a: string, tol: Tolerance, path: string): CompareOutcome {
  const minSsim = numberSetting(tol, ['min_ssim'], 0.95);
  const ea = decodeDataUrl(e);
  const aa = decodeDataUrl(a);
  const ep = ea && ea.mime === 'image/png' ? decodePng(ea.bytes) : undefined;
  const ap = aa && aa.mime === 'image/png' ? decodePng(aa.bytes) : undefined;
  if (!ep || !ap) return bySizeAndHash(comparator, e, a, path, 'SSIM (only PNG images are decoded)');
  if (ep.width !== ap.width || ep.height !== ap.height) {
    return { ok: false, comparator, path, expected: `${ep.width}×${ep.height}`, actual: `${ap.width}×${ap.height}`, metric: `${path || 'image'}: size ${ap.width}×${ap.height} px, expected ${ep.width}×${ep.height} px` };
  }
  const score = ssimGray(ep, ap);
  const shown = Number(score.toFixed(4));
  if (score >= minSsim) return { ok: true, comparator, note: score < 1 ? `SSIM ${shown} ≥ ${minSsim}` : undefined };
  return { ok: false, comparator, path, expected: `SSIM ≥ ${minSsim}`, actual: shown, metric: `${path || 'image'}: SSIM ${shown} is below min_ssim ${minSsim}` };
}

function sourceOrFail(comparator: string, v: unknown, path: string, side: 'expected' | 'actual'): string | CompareOutcome {
  const s = mediaSource(v);
  if (s !== undefined) return s;
  return {
    ok: false,
    comparator,
    path,
    expected: side === 'expected' ? v : undefined,
    actual: side === 'actual' ? v : undefined,
    metric: side === 'expected' ? `the fixture's expected ${path || 'value'} is not a data URL or URL` : `${path || 'value'}: expected a data URL or URL, got ${kindOf(v)}`,
  };
}

function comparePair(comparator: string, mode: string, e: unknown, a: unknown, tol: Tolerance, path: string): CompareOutcome {
  const es = sourceOrFail(comparator, e, path, 'expected');
  if (typeof es !== 'string') return es;
  const as = sourceOrFail(comparator, a, path, 'actual');
  if (typeof as !== 'string') return as;
  return mode === 'size_sha256' ? bySizeAndHash(comparator, es, as, path, undefined) : compareImage(comparator, es, as, tol, path);
}

/** Folds per-item outcomes: the first failure wins; any degraded comparison marks the whole as degraded. */
function all(comparator: string, outcomes: CompareOutcome[]): CompareOutcome {
  const degraded = outcomes.some((o) => o.degraded === true);
  const failed = outcomes.find((o) => !o.ok);
  if (failed) return { ...failed, degraded: degraded || failed.degraded };
  return { ok: true, comparator, degraded, note: degraded ? 'compared by size + SHA-256 (no decoder for this format)' : undefined };
}

function imagesOf(v: unknown): unknown[] | undefined {
  if (Array.isArray(v)) return v;
  if (isRecord(v) && Array.isArray(v.images)) return v.images as unknown[];
  return undefined;
}

export const compareMedia: Comparator = (expected, actual, tol, type: OutputType) => {
  if (type === 'audio' || type === 'video') {
    const mode = type === 'audio' ? modeSetting(tol, 'spectrogram_l2', AUDIO_MODES, type) : modeSetting(tol, 'skip', VIDEO_MODES, type);
    const comparator = `${type}_${mode}`;
    if (mode === 'skip') return { ok: true, comparator, note: 'skipped (compare: skip)' };
    const es = sourceOrFail(comparator, expected, '', 'expected');
    if (typeof es !== 'string') return es;
    const as = sourceOrFail(comparator, actual, '', 'actual');
    if (typeof as !== 'string') return as;
    const degradedFrom = mode === 'size_sha256' ? undefined : mode === 'spectrogram_l2' ? 'spectrogram' : 'video frame';
    return bySizeAndHash(comparator, es, as, '', degradedFrom);
  }
  const fallback = type === 'image_grid' ? 'ssim_per_image' : type === 'image_compare' ? 'ssim_pair' : 'ssim';
  const mode = modeSetting(tol, fallback, IMAGE_MODES, type);
  const comparator = `${type}_${mode}`;
  if (mode === 'skip') return { ok: true, comparator, note: 'skipped (compare: skip)' };
  if (type === 'image_grid') {
    const e = imagesOf(expected);
    const a = imagesOf(actual);
    if (!e) return { ok: false, comparator, path: '', expected, actual, metric: 'the fixture\'s expected image_grid has no images list' };
    if (!a) return { ok: false, comparator, path: 'images', expected: e.length, actual, metric: `expected {images: […]}, got ${kindOf(actual)}` };
    if (e.length !== a.length) return { ok: false, comparator, path: 'images', expected: e.length, actual: a.length, metric: `${a.length} images, expected ${e.length}` };
    return all(comparator, e.map((img, i) => comparePair(comparator, mode, img, a[i], tol, `images[${i}]`)));
  }
  if (type === 'image_compare') {
    if (!isRecord(expected) || !isRecord(actual)) return { ok: false, comparator, path: '', expected, actual, metric: `expected {before, after}, got ${kindOf(actual)}` };
    return all(comparator, ['before', 'after'].map((side) => comparePair(comparator, mode, expected[side], actual[side], tol, side)));
  }
  return all(comparator, [comparePair(comparator, mode, expected, actual, tol, '')]);
};
