// Mandelbrot explorer: renders the Mandelbrot set as a PNG (encoded right here with node:zlib) and
// exports a coarse grid of escape times as CSV. A Pixie tool in plain Node (no dependencies).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

/** Places worth a look: centre and the width of the view in the complex plane. */
const PRESETS = {
  full: { re: -0.6, im: 0, width: 3.4 },
  seahorse: { re: -0.7463, im: 0.1102, width: 0.01 },
  elephant: { re: 0.2855, im: 0.0105, width: 0.025 },
  spiral: { re: -0.0877, im: 0.6555, width: 0.012 },
  minibrot: { re: -1.7549, im: 0, width: 0.045 },
};

// Colour ramps as [position, [r, g, b]] stops; positions run 0 → 1 from "escaped at once" to "almost inside".
const PALETTES = {
  ember: [[0, [10, 2, 20]], [0.25, [120, 20, 30]], [0.5, [230, 90, 20]], [0.75, [255, 200, 60]], [1, [255, 255, 230]]],
  ocean: [[0, [2, 8, 30]], [0.3, [10, 60, 120]], [0.6, [30, 160, 190]], [0.85, [170, 235, 240]], [1, [255, 255, 255]]],
  mono: [[0, [0, 0, 0]], [1, [255, 255, 255]]],
};

const CSV_COLUMNS = 64;

// ---------- PNG: signature, IHDR, one zlib-compressed IDAT, IEND; each chunk with its CRC-32 ----------

const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type, data) {
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(8 + data.length + 4);
  out.writeUInt32BE(data.length, 0);
  typed.copy(out, 4);
  out.writeUInt32BE(crc32(typed), 8 + data.length);
  return out;
}

/** rgb: width × height × 3 bytes, row by row. */
function encodePng(width, height, rgb) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 2; // colour type: RGB
  const raw = Buffer.alloc(height * (1 + width * 3)); // each row starts with filter type 0 (none)
  for (let y = 0; y < height; y++) rgb.copy(raw, y * (1 + width * 3) + 1, y * width * 3, (y + 1) * width * 3);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------- the set ----------

/** Smooth escape time of c = re + im·i, or -1 when it stays bounded for maxIter steps. */
function escapeTime(re, im, maxIter) {
  let x = 0;
  let y = 0;
  let n = 0;
  while (n < maxIter && x * x + y * y <= 256) {
    const t = x * x - y * y + re;
    y = 2 * x * y + im;
    x = t;
    n++;
  }
  if (n >= maxIter) return -1;
  // Continuous count: removes the colour bands of a plain integer count.
  return n + 1 - Math.log2(Math.log2(x * x + y * y) / 2);
}

function rampColour(stops, t) {
  for (let i = 1; i < stops.length; i++) {
    const [p1, c1] = stops[i];
    if (t <= p1) {
      const [p0, c0] = stops[i - 1];
      const f = (t - p0) / (p1 - p0 || 1);
      return c0.map((v, k) => Math.round(v + (c1[k] - v) * f));
    }
  }
  return stops[stops.length - 1][1];
}

function parseColour(key, value) {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(String(value));
  if (!m) throw new BadInput(key, 'expected a colour #rrggbb');
  return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)];
}

function numberIn(inputs, key, min, max) {
  const n = Number(inputs[key]);
  if (!Number.isFinite(n) || n < min || n > max) throw new BadInput(key, `must be a number from ${min} to ${max}`);
  return n;
}

function view(inputs) {
  if (inputs.preset === 'custom') {
    return {
      re: numberIn(inputs, 'centre_re', -2.5, 1.5),
      im: numberIn(inputs, 'centre_im', -1.5, 1.5),
      width: 3.4 / 2 ** numberIn(inputs, 'zoom', 0, 40),
    };
  }
  const preset = PRESETS[inputs.preset];
  if (!preset) throw new BadInput('preset', `must be one of ${[...Object.keys(PRESETS), 'custom'].join(', ')}`);
  return preset;
}

function render(inputs) {
  const started = performance.now();
  const { re, im, width: span } = view(inputs);
  const maxIter = Math.round(numberIn(inputs, 'max_iterations', 10, 5000));
  const width = Math.round(numberIn(inputs, 'image_width', 64, 1024));
  const height = Math.round((width * 3) / 4);
  const palette = PALETTES[inputs.palette];
  if (!palette) throw new BadInput('palette', `must be one of ${Object.keys(PALETTES).join(', ')}`);
  const inside = parseColour('inside_colour', inputs.inside_colour);
  const pixel = span / width;
  const left = re - span / 2;
  const top = im + (pixel * height) / 2;

  const rgb = Buffer.alloc(width * height * 3);
  let insideCount = 0;
  let slowest = 0;
  for (let py = 0; py < height; py++) {
    for (let px = 0; px < width; px++) {
      const n = escapeTime(left + (px + 0.5) * pixel, top - (py + 0.5) * pixel, maxIter);
      let colour = inside;
      if (n < 0) insideCount++;
      else {
        slowest = Math.max(slowest, n);
        // Log scale: most points escape within a few steps; this spreads them over the whole ramp.
        colour = rampColour(palette, Math.min(1, Math.log1p(Math.max(0, n)) / Math.log1p(maxIter)));
      }
      rgb.set(colour, (py * width + px) * 3);
    }
  }
  const png = encodePng(width, height, rgb);

  // A coarse grid of escape times (the iteration count, or "inside"), for a spreadsheet or a heat map.
  const rows = Math.round((CSV_COLUMNS * 3) / 4);
  const cell = span / CSV_COLUMNS;
  const res = Array.from({ length: CSV_COLUMNS }, (_, i) => left + (i + 0.5) * cell);
  const csv = [`im \\ re,${res.map((r) => r.toPrecision(8)).join(',')}`];
  for (let j = 0; j < rows; j++) {
    const y = top - (j + 0.5) * cell;
    const counts = res.map((x) => {
      const n = escapeTime(x, y, maxIter);
      return n < 0 ? 'inside' : Math.max(0, n).toFixed(2);
    });
    csv.push(`${y.toPrecision(8)},${counts.join(',')}`);
  }

  const ms = performance.now() - started;
  const magnification = 3.4 / span;
  return {
    render: `data:image/png;base64,${png.toString('base64')}`,
    centre_inside: escapeTime(re, im, maxIter) < 0,
    inside_share: Math.round((1000 * insideCount) / (width * height)) / 10,
    details: {
      pairs: {
        Centre: `${re} ${im < 0 ? '−' : '+'} ${Math.abs(im)}i`,
        'View width': span.toPrecision(4),
        Magnification: `${magnification < 10 ? magnification.toFixed(1) : Math.round(magnification).toLocaleString('en-GB')}×`,
        'Image size': `${width} × ${height} px (${(png.length / 1024).toFixed(1)} KiB PNG)`,
        'Iteration limit': maxIter,
        'Slowest escape': `${Math.round(slowest)} iterations`,
        'Render time': `${Math.round(ms)} ms`,
      },
    },
    escape_times: {
      filename: `mandelbrot-escape-times-${CSV_COLUMNS}x${rows}.csv`,
      data: `data:text/csv;base64,${Buffer.from(`${csv.join('\n')}\n`).toString('base64')}`,
      mime_type: 'text/csv',
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// The Pixie tool contract on node:http — the same block in every Node demo tool; copy it into your own.
//   GET  /healthz            → {"ok": true}
//   GET  /schema             → tool.json exactly as it is on disk
//   POST /run                → body {run_id, inputs, _pixie: {artefacts_dir}} (or the inputs as flat keys);
//                              answers a JSON object keyed by output key; a BadInput → 422 {"detail": [...]}
//   POST /cancel?run_id=     → 204; aborts ctx.signal of that run
//   GET  /stream?run_id=     → text/event-stream, only when the tool passes a `stream` handler
// Omitted inputs take their tool.json defaults, so the tool also answers a bare `curl -d '{}' …/run`.
// ---------------------------------------------------------------------------------------------------------
const HERE = path.dirname(fileURLToPath(import.meta.url));
const TOOL_JSON = fs.readFileSync(path.join(HERE, 'tool.json'), 'utf8');
const DEFAULTS = Object.fromEntries(JSON.parse(TOOL_JSON).inputs.map((input) => [input.key, input.default ?? null]));

/** Throw from a handler when an input cannot be used: the answer is FastAPI's 422 shape, naming the input. */
class BadInput extends Error {
  constructor(key, message) {
    super(message);
    this.key = key;
  }
}

function reply(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  return text.trim() === '' ? {} : JSON.parse(text);
}

const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

function serve({ run, stream }) {
  const portArg = process.argv.indexOf('--port');
  const port = Number(process.argv[portArg + 1]);
  if (portArg < 0 || !Number.isInteger(port) || port <= 0) {
    process.stderr.write('usage: node main.mjs --port <port>\n');
    process.exit(2);
  }
  const runs = new Map(); // run_id → { runId, inputs, artefactsDir, controller }, kept a minute for /stream and /cancel
  const waiting = new Map(); // run_id → callbacks of /stream requests that arrived before their /run

  async function onRun(req, res) {
    let body;
    try {
      body = await readJson(req);
    } catch (error) {
      return reply(res, 400, { detail: `the request body is not JSON: ${error.message}` });
    }
    if (!isObject(body)) return reply(res, 422, { detail: [{ loc: ['body'], msg: 'expected a JSON object', type: 'type_error' }] });
    const nested = isObject(body.inputs);
    const given = nested ? body.inputs : Object.fromEntries(Object.entries(body).filter(([k]) => k !== 'run_id' && k !== '_pixie'));
    const ctx = {
      runId: String(body.run_id ?? body._pixie?.run_id ?? req.headers['x-pixie-run-id'] ?? `run-${Date.now()}`),
      inputs: { ...DEFAULTS, ...given },
      artefactsDir: body._pixie?.artefacts_dir ?? req.headers['x-pixie-artefacts-dir'] ?? null,
      controller: new AbortController(),
    };
    ctx.signal = ctx.controller.signal;
    runs.set(ctx.runId, ctx);
    setTimeout(() => runs.delete(ctx.runId), 60_000).unref();
    for (const wake of waiting.get(ctx.runId) ?? []) wake(ctx);
    waiting.delete(ctx.runId);
    try {
      reply(res, 200, await run(ctx.inputs, ctx));
    } catch (error) {
      if (!(error instanceof BadInput)) throw error;
      const loc = nested ? ['body', 'inputs', error.key] : ['body', error.key];
      reply(res, 422, { detail: [{ loc, msg: error.message, type: 'value_error' }] });
    }
  }

  async function onStream(req, res, runId) {
    // /stream may arrive a moment before its /run: wait briefly for it.
    const ctx = runs.get(runId) ?? (await new Promise((resolve) => {
      waiting.set(runId, [...(waiting.get(runId) ?? []), resolve]);
      setTimeout(() => resolve(undefined), 2000).unref();
    }));
    if (!ctx) return reply(res, 404, { detail: `no run ${runId}` });
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    const gone = new AbortController(); // the reader left: stop producing
    res.on('close', () => gone.abort());
    const emit = (event, data) => {
      if (!res.writableEnded) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    await stream(ctx, emit, AbortSignal.any([ctx.signal, gone.signal]));
    res.end();
  }

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    try {
      if (req.method === 'GET' && url.pathname === '/healthz') reply(res, 200, { ok: true });
      else if (req.method === 'GET' && url.pathname === '/schema') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(TOOL_JSON);
      } else if (req.method === 'POST' && url.pathname === '/run') await onRun(req, res);
      else if (req.method === 'POST' && url.pathname === '/cancel') {
        runs.get(url.searchParams.get('run_id'))?.controller.abort();
        res.writeHead(204);
        res.end();
      } else if (req.method === 'GET' && url.pathname === '/stream' && stream) await onStream(req, res, url.searchParams.get('run_id'));
      else reply(res, 404, { detail: 'Not Found' });
    } catch (error) {
      process.stderr.write(`${req.method} ${url.pathname} failed: ${error.stack ?? error}\n`);
      if (!res.headersSent) reply(res, 500, { detail: String(error.message ?? error) });
      else res.end();
    }
  });
  server.on('error', (error) => {
    process.stderr.write(`cannot listen on 127.0.0.1:${port}: ${error.message}\n`);
    process.exit(1);
  });
  server.listen(port, '127.0.0.1');
}

serve({ run: render });
