// Mean structural similarity (SSIM) of two same-sized luminance images over sliding 7×7 windows
// (smaller images: one window), with the usual constants for 8-bit data. 1 = identical.
import type { GrayImage } from './png';

const C1 = (0.01 * 255) ** 2;
const C2 = (0.03 * 255) ** 2;

/** Summed-area table of f(a, b) per pixel, (w+1)×(h+1). */
function integral(w: number, h: number, f: (i: number) => number): Float64Array {
  const t = new Float64Array((w + 1) * (h + 1));
  for (let y = 0; y < h; y++) {
    let rowSum = 0;
    for (let x = 0; x < w; x++) {
      rowSum += f(y * w + x);
      t[(y + 1) * (w + 1) + x + 1] = t[y * (w + 1) + x + 1] + rowSum;
    }
  }
  return t;
}

export function ssimGray(a: GrayImage, b: GrayImage): number {
  const { width: w, height: h } = a;
  const win = Math.max(1, Math.min(7, w, h));
  const A = a.gray;
  const B = b.gray;
  const sa = integral(w, h, (i) => A[i]);
  const sb = integral(w, h, (i) => B[i]);
  const saa = integral(w, h, (i) => A[i] * A[i]);
  const sbb = integral(w, h, (i) => B[i] * B[i]);
  const sab = integral(w, h, (i) => A[i] * B[i]);
  const W = w + 1;
  const box = (t: Float64Array, x: number, y: number): number => t[(y + win) * W + x + win] - t[y * W + x + win] - t[(y + win) * W + x] + t[y * W + x];
  const n = win * win;
  let total = 0;
  let count = 0;
  for (let y = 0; y + win <= h; y++) {
    for (let x = 0; x + win <= w; x++) {
      const ma = box(sa, x, y) / n;
      const mb = box(sb, x, y) / n;
      const va = Math.max(0, box(saa, x, y) / n - ma * ma);
      const vb = Math.max(0, box(sbb, x, y) / n - mb * mb);
      const cov = box(sab, x, y) / n - ma * mb;
      total += ((2 * ma * mb + C1) * (2 * cov + C2)) / ((ma * ma + mb * mb + C1) * (va + vb + C2));
      count++;
    }
  }
  return count === 0 ? 1 : total / count;
}
