// Counting the bytes JSON.stringify adds when it escapes a string, from the string's UTF-8, 16 bytes at a time with
// a tiny WebAssembly SIMD function (a plain loop costs more than hashing the same bytes). A byte-by-byte loop takes
// over where WebAssembly SIMD is missing. The module is assembled below from its instructions; no build step.

/**
 * Bytes JSON.stringify adds for each byte of a well-formed string's UTF-8: `"` and `\` get a backslash,
 * \b \t \n \f \r become two characters, other control characters `\u00XX`. Bytes ≥ 0x80 stay as they are.
 */
const ESCAPE_EXTRA: Uint8Array = (() => {
  const extra = new Uint8Array(256);
  for (let c = 0; c < 0x20; c++) extra[c] = 5;
  for (const c of [0x08, 0x09, 0x0a, 0x0c, 0x0d, 0x22, 0x5c]) extra[c] = 1;
  return extra;
})();

/** Bytes one count looks at: the WebAssembly memory (4 pages of 64 KiB). */
export const ESCAPE_CHUNK_BYTES = 4 * 65536;

export interface EscapeCounter {
  readonly kind: 'simd' | 'bytewise';
  /** Where the bytes to count go (ESCAPE_CHUNK_BYTES long). Shared: fill and count without awaiting between. */
  readonly bytes: Uint8Array;
  /** The extra bytes escaping `bytes[0, length)` takes. */
  count(length: number): number;
}

function checkLength(length: number): void {
  if (length > ESCAPE_CHUNK_BYTES) throw new RangeError(`at most ${ESCAPE_CHUNK_BYTES} bytes at a time`);
}

function countBytewise(bytes: Uint8Array, from: number, to: number): number {
  let extra = 0;
  for (let i = from; i < to; i++) extra += ESCAPE_EXTRA[bytes[i]];
  return extra;
}

// ---------------------------------------------------------------- the WebAssembly module
//
// (memory (export "memory") 4)
// (func (export "escapeExtra") (param $len i32) (result i32)        ;; $len: a multiple of 16
//   (local $i i32) (local $k i32) (local $v v128) (local $acc v128) (local $wide v128)
//   (block $done (loop $next
//     (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
//     (local.set $v (v128.load (local.get $i)))
//     ;; per byte: +5 if < 0x20, +1 if `"` or `\`, −4 if \b \t \n \f \r (a 16-entry table by swizzle; 0 for ≥ 16)
//     (local.set $acc (i8x16.sub
//       (i8x16.add (i8x16.add (local.get $acc)
//           (v128.and (i8x16.lt_u (local.get $v) (splat 0x20)) (splat 5)))
//         (v128.and (v128.or (i8x16.eq (local.get $v) (splat 0x22)) (i8x16.eq (local.get $v) (splat 0x5c))) (splat 1)))
//       (i8x16.swizzle (v128.const TABLE) (local.get $v))))
//     (local.set $i (i32.add (local.get $i) (i32.const 16)))
//     ;; a lane gains at most 5 a round: widen the 8-bit sums into $wide every 51 rounds (51 × 5 = 255)
//     (if (i32.eq (local.tee $k (i32.add (local.get $k) (i32.const 1))) (i32.const 51)) (then
//       FOLD (local.set $acc (splat 0)) (local.set $k (i32.const 0))))
//     (br $next)))
//   FOLD
//   (i32.add (i32.add (i32.add (i32x4.extract_lane 0 $wide) (… lane 1)) (… lane 2)) (… lane 3)))
// FOLD = (local.set $wide (i32x4.add (local.get $wide)
//          (i32x4.extadd_pairwise_i16x8_u (i16x8.extadd_pairwise_i8x16_u (local.get $acc)))))

const LEN = 0;
const I = 1;
const K = 2;
const V = 3;
const ACC = 4;
const WIDE = 5;

const op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Const: 0x41,
  i32Eq: 0x46,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  emptyBlockType: 0x40,
} as const;

/** SIMD instructions: the 0xfd prefix and the LEB128 opcode. */
const simd = {
  v128Load: [0xfd, 0x00, 0x00, 0x00], // memarg: align 2^0, offset 0
  v128Const: [0xfd, 0x0c],
  i8x16Swizzle: [0xfd, 0x0e],
  i32x4ExtractLane: [0xfd, 0x1b],
  i8x16Eq: [0xfd, 0x23],
  i8x16LtU: [0xfd, 0x26],
  v128And: [0xfd, 0x4e],
  v128Or: [0xfd, 0x50],
  i8x16Add: [0xfd, 0x6e],
  i8x16Sub: [0xfd, 0x71],
  i16x8ExtaddPairwiseI8x16U: [0xfd, 0x7d],
  i32x4ExtaddPairwiseI16x8U: [0xfd, 0x7f],
  i32x4Add: [0xfd, 0xae, 0x01],
} as const;

const splat = (byte: number): number[] => [...simd.v128Const, ...new Array<number>(16).fill(byte)];
const get = (local: number): number[] => [op.localGet, local];
const set = (local: number): number[] => [op.localSet, local];

function uleb128(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  do {
    const low = rest & 0x7f;
    rest >>>= 7;
    out.push(rest === 0 ? low : low | 0x80);
  } while (rest !== 0);
  return out;
}

function escapeCounterModule(): Uint8Array<ArrayBuffer> {
  const shortEscapes = new Array<number>(16).fill(0);
  for (const c of [0x08, 0x09, 0x0a, 0x0c, 0x0d]) shortEscapes[c] = 4;
  const fold = [...get(WIDE), ...get(ACC), ...simd.i16x8ExtaddPairwiseI8x16U, ...simd.i32x4ExtaddPairwiseI16x8U, ...simd.i32x4Add, ...set(WIDE)];
  const lane = (n: number): number[] => [...get(WIDE), ...simd.i32x4ExtractLane, n];
  const body = [
    // locals: 2 × i32 ($i $k), 3 × v128 ($v $acc $wide)
    2, 2, 0x7f, 3, 0x7b,
    op.block, op.emptyBlockType, op.loop, op.emptyBlockType,
    ...get(I), ...get(LEN), op.i32GeU, op.brIf, 1,
    ...get(I), ...simd.v128Load, ...set(V),
    ...get(ACC),
    ...get(V), ...splat(0x20), ...simd.i8x16LtU, ...splat(5), ...simd.v128And, ...simd.i8x16Add,
    ...get(V), ...splat(0x22), ...simd.i8x16Eq, ...get(V), ...splat(0x5c), ...simd.i8x16Eq, ...simd.v128Or, ...splat(1), ...simd.v128And,
    ...simd.i8x16Add,
    ...simd.v128Const, ...shortEscapes, ...get(V), ...simd.i8x16Swizzle, ...simd.i8x16Sub,
    ...set(ACC),
    ...get(I), op.i32Const, 16, op.i32Add, ...set(I),
    ...get(K), op.i32Const, 1, op.i32Add, op.localTee, K, op.i32Const, 51, op.i32Eq,
    op.if, op.emptyBlockType, ...fold, ...splat(0), ...set(ACC), op.i32Const, 0, ...set(K), op.end,
    op.br, 0,
    op.end, op.end,
    ...fold,
    ...lane(0), ...lane(1), op.i32Add, ...lane(2), op.i32Add, ...lane(3), op.i32Add,
    op.end,
  ];
  const name = (text: string): number[] => [...uleb128(text.length), ...Buffer.from(text, 'latin1')];
  const section = (id: number, content: number[]): number[] => [id, ...uleb128(content.length), ...content];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
    ...section(1, [1, 0x60, 1, 0x7f, 1, 0x7f]), // one type: (i32) -> i32
    ...section(3, [1, 0]), // one function of that type
    ...section(5, [1, 0x00, ESCAPE_CHUNK_BYTES / 65536]), // one memory, its minimum in pages
    ...section(7, [2, ...name('memory'), 0x02, 0, ...name('escapeExtra'), 0x00, 0]),
    ...section(10, [1, ...uleb128(body.length), ...body]),
  ]);
}

function simdCounter(): EscapeCounter | undefined {
  if (typeof WebAssembly !== 'object') return undefined;
  const binary = escapeCounterModule();
  if (!WebAssembly.validate(binary)) return undefined;
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(binary));
  const memory = exports.memory;
  const escapeExtra = exports.escapeExtra;
  if (!(memory instanceof WebAssembly.Memory) || typeof escapeExtra !== 'function') return undefined;
  const bytes = new Uint8Array(memory.buffer, 0, ESCAPE_CHUNK_BYTES);
  const vectorCount = escapeExtra as (length: number) => number;
  return {
    kind: 'simd',
    bytes,
    count(length) {
      checkLength(length);
      const whole = length & ~15;
      return vectorCount(whole) + countBytewise(bytes, whole, length);
    },
  };
}

function bytewiseCounter(): EscapeCounter {
  const bytes = new Uint8Array(ESCAPE_CHUNK_BYTES);
  return {
    kind: 'bytewise',
    bytes,
    count(length) {
      checkLength(length);
      return countBytewise(bytes, 0, length);
    },
  };
}

let shared: EscapeCounter | undefined;

/** The extra bytes JSON escaping of `bytes` takes, wherever they are (copied through the counter a piece at a time). */
export function escapeExtraOf(bytes: Uint8Array, counter: EscapeCounter = escapeCounter()): number {
  let extra = 0;
  for (let offset = 0; offset < bytes.length; offset += ESCAPE_CHUNK_BYTES) {
    const piece = bytes.subarray(offset, offset + ESCAPE_CHUNK_BYTES);
    counter.bytes.set(piece);
    extra += counter.count(piece.length);
  }
  return extra;
}

/** The process's counter (SIMD when it can be); `simd: false` gives a byte-by-byte one (for tests). */
export function escapeCounter(options: { simd?: boolean } = {}): EscapeCounter {
  if (options.simd === false) return bytewiseCounter();
  shared ??= simdCounter() ?? bytewiseCounter();
  return shared;
}
