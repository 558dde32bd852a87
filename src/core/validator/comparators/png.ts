// A small PNG decoder (non-interlaced; grey, grey+alpha, RGB, RGBA, palette; 1–16 bits) to luminance, so
// image fixtures can be compared by SSIM without native dependencies. Returns undefined for anything it
// does not handle; the caller then falls back to size + SHA-256.
import { inflateSync } from 'node:zlib';

export interface GrayImage {
  width: number;
  height: number;
  /** Luminance 0–255, row-major, alpha composited over white. */
  gray: Float64Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const MAX_PIXELS = 40_000_000;

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Undoes the per-row filters; `data` holds height × (1 + stride) bytes (checked by the caller). */
function unfilter(data: Buffer, height: number, stride: number, bpp: number): Buffer | undefined {
  const out = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const src = y * (stride + 1);
    const filter = data[src];
    const row = y * stride;
    const prev = row - stride;
    for (let x = 0; x < stride; x++) {
      const raw = data[src + 1 + x];
      const left = x >= bpp ? out[row + x - bpp] : 0;
      const up = y > 0 ? out[prev + x] : 0;
      const upLeft = y > 0 && x >= bpp ? out[prev + x - bpp] : 0;
      let value: number;
      switch (filter) {
        case 0: value = raw; break;
        case 1: value = raw + left; break;
        case 2: value = raw + up; break;
        case 3: value = raw + ((left + up) >> 1); break;
        case 4: value = raw + paeth(left, up, upLeft); break;
        default: return undefined;
      }
      out[row + x] = value & 0xff;
    }
  }
  return out;
}

/** Sample `index` (0-based within the row) of `bits` bits from a row starting at `offset`. */
function sample(buf: Buffer, offset: number, index: number, bits: number): number {
  if (bits === 8) return buf[offset + index];
  if (bits === 16) return buf[offset + index * 2]; // the high byte is enough for a comparison
  const perByte = 8 / bits;
  const byte = buf[offset + Math.floor(index / perByte)];
  const shift = 8 - bits * ((index % perByte) + 1);
  return (byte >> shift) & ((1 << bits) - 1);
}

export function decodePng(png: Buffer): GrayImage | undefined {
  try {
    if (png.length < 8 || !png.subarray(0, 8).equals(SIGNATURE)) return undefined;
    let pos = 8;
    let width = 0, height = 0, bits = 0, colour = -1, interlace = 0;
    let palette: Buffer | undefined;
    let alphaTable: Buffer | undefined;
    const idat: Buffer[] = [];
    while (pos + 8 <= png.length) {
      const length = png.readUInt32BE(pos);
      const type = png.toString('ascii', pos + 4, pos + 8);
      const body = png.subarray(pos + 8, pos + 8 + length);
      pos += 12 + length;
      if (type === 'IHDR') {
        width = body.readUInt32BE(0);
        height = body.readUInt32BE(4);
        bits = body[8];
        colour = body[9];
        interlace = body[12];
      } else if (type === 'PLTE') palette = body;
      else if (type === 'tRNS') alphaTable = body;
      else if (type === 'IDAT') idat.push(body);
      else if (type === 'IEND') break;
    }
    const channels = CHANNELS[colour];
    if (!channels || interlace !== 0 || width === 0 || height === 0 || width * height > MAX_PIXELS) return undefined;
    if (![1, 2, 4, 8, 16].includes(bits) || (bits < 8 && colour !== 0 && colour !== 3) || (bits === 16 && colour === 3)) return undefined;
    const stride = Math.ceil((width * channels * bits) / 8);
    const bpp = Math.max(1, (channels * bits) / 8);
    const raw = inflateSync(Buffer.concat(idat));
    if (raw.length < height * (stride + 1)) return undefined;
    const pixels = unfilter(raw, height, stride, bpp);
    if (!pixels) return undefined;
    const maxValue = bits === 16 ? 255 : (1 << bits) - 1;
    const gray = new Float64Array(width * height);
    for (let y = 0; y < height; y++) {
      const row = y * stride;
      for (let x = 0; x < width; x++) {
        let r: number, g: number, b: number, a = 255;
        if (colour === 3) {
          const index = sample(pixels, row, x, bits);
          if (!palette || index * 3 + 2 >= palette.length) return undefined;
          r = palette[index * 3];
          g = palette[index * 3 + 1];
          b = palette[index * 3 + 2];
          if (alphaTable && index < alphaTable.length) a = alphaTable[index];
        } else {
          const s = (c: number): number => (sample(pixels, row, x * channels + c, bits) * 255) / maxValue;
          if (colour === 0 || colour === 4) {
            r = g = b = s(0);
            if (colour === 4) a = s(1);
          } else {
            r = s(0);
            g = s(1);
            b = s(2);
            if (colour === 6) a = s(3);
          }
        }
        const luminance = 0.299 * r + 0.587 * g + 0.114 * b;
        const alpha = a / 255;
        gray[y * width + x] = luminance * alpha + 255 * (1 - alpha);
      }
    }
    return { width, height, gray };
  } catch {
    return undefined;
  }
}
