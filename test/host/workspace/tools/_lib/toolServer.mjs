// Shared server for the Node fixture tools: the Pixie tool contract (/healthz, /schema, /run, /cancel,
// /stream) on 127.0.0.1:<--port>, with node:http only. Each tool's main.mjs supplies its handlers.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';

/** Throw from a handler to answer with this status and body (object → JSON, string → text/plain). */
export class HttpError extends Error {
  constructor(status, body) {
    super(typeof body === 'string' ? body : JSON.stringify(body));
    this.status = status;
    this.body = body;
  }
}

export function parsePort(argv = process.argv.slice(2)) {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--port' && argv[i + 1]) return Number(argv[i + 1]);
    if (argv[i].startsWith('--port=')) return Number(argv[i].slice('--port='.length));
  }
  process.stderr.write('usage: main.mjs --port <port>\n');
  process.exit(2);
}

export const sleep = (ms, signal) =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });

function sendJson(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function sendError(res, error) {
  if (error instanceof HttpError) {
    if (typeof error.body === 'string') {
      res.writeHead(error.status, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(error.body);
    } else sendJson(res, error.status, error.body);
    return;
  }
  process.stderr.write(`handler failed: ${error?.stack ?? error}\n`);
  sendJson(res, 500, { detail: String(error?.message ?? error) });
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * handlers: { run(inputs, ctx) → outputs object; stream?(ctx, send) → promise (send({event?, data}) or
 * send.comment(text)); healthz?() → status code }. ctx = { runId, artefactsDir, inputs, shape, headers, signal }.
 */
export function startToolServer(toolDir, handlers) {
  const port = parsePort();
  const toolJson = fs.readFileSync(path.join(toolDir, 'tool.json'), 'utf8');
  const active = new Map(); // run_id → AbortController of a /run in progress
  const known = new Map(); // run_id → ctx, kept for /stream after /run answered
  const waiters = new Map(); // run_id → resolvers waiting in /stream for the /run

  async function onRun(req, res) {
    let body;
    try {
      body = JSON.parse((await readBody(req)) || '{}');
    } catch (e) {
      throw new HttpError(400, { detail: `request body is not JSON: ${e.message}` });
    }
    if (!isObject(body)) throw new HttpError(422, { detail: [{ loc: ['body'], msg: 'Input should be an object', type: 'dict_type' }] });
    const nested = isObject(body.inputs);
    const inputs = nested ? body.inputs : Object.fromEntries(Object.entries(body).filter(([k]) => k !== 'run_id' && k !== '_pixie'));
    const runId = body.run_id ?? body._pixie?.run_id ?? req.headers['x-pixie-run-id'] ?? `run-${Date.now()}`;
    const controller = new AbortController();
    const ctx = {
      runId,
      inputs,
      shape: nested ? 'nested' : 'flat',
      artefactsDir: body._pixie?.artefacts_dir ?? req.headers['x-pixie-artefacts-dir'],
      headers: req.headers,
      signal: controller.signal,
    };
    active.set(runId, controller);
    known.set(runId, ctx);
    setTimeout(() => known.delete(runId), 60_000).unref();
    for (const wake of waiters.get(runId) ?? []) wake(ctx);
    waiters.delete(runId);
    try {
      sendJson(res, 200, await handlers.run(inputs, ctx));
    } finally {
      active.delete(runId);
    }
  }

  async function onStream(req, res, url) {
    if (!handlers.stream) throw new HttpError(404, { detail: 'this tool does not stream' });
    const runId = url.searchParams.get('run_id');
    let ctx = known.get(runId);
    if (!ctx) {
      // /stream may be opened before /run arrives: wait a little for it.
      ctx = await new Promise((resolve) => {
        const list = waiters.get(runId) ?? [];
        list.push(resolve);
        waiters.set(runId, list);
        setTimeout(() => resolve(undefined), 1500).unref();
      });
    }
    if (!ctx) throw new HttpError(404, { detail: `unknown run_id ${runId}` });
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    const send = ({ event, data }) => {
      const text = typeof data === 'string' ? data : JSON.stringify(data);
      let frame = event ? `event: ${event}\n` : '';
      for (const line of text.split('\n')) frame += `data: ${line}\n`;
      res.write(`${frame}\n`);
    };
    send.comment = (text) => res.write(`: ${text}\n\n`);
    await handlers.stream(ctx, send);
    res.end();
  }

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    try {
      if (req.method === 'GET' && url.pathname === '/healthz') {
        const status = handlers.healthz ? handlers.healthz() : 200;
        sendJson(res, status, { ok: status === 200 });
      } else if (req.method === 'GET' && url.pathname === '/schema') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(toolJson);
      } else if (req.method === 'POST' && url.pathname === '/run') {
        await onRun(req, res);
      } else if (req.method === 'POST' && url.pathname === '/cancel') {
        active.get(url.searchParams.get('run_id'))?.abort();
        res.writeHead(204);
        res.end();
      } else if (req.method === 'GET' && url.pathname === '/stream') {
        await onStream(req, res, url);
      } else {
        sendJson(res, 404, { detail: 'Not Found' });
      }
    } catch (error) {
      if (!res.headersSent) sendError(res, error);
      else res.end();
    }
  });
  server.listen(port, '127.0.0.1');
  server.on('error', (error) => {
    process.stderr.write(`cannot listen on 127.0.0.1:${port}: ${error.message}\n`);
    process.exit(1);
  });
  return server;
}

// --- a tiny PNG encoder, so image outputs are real images without dependencies ---
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
/** An RGB PNG of width×height; pixel(x, y) → [r, g, b]. */
export function makePng(width, height, pixel) {
  const rows = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) row.set(pixel(x, y), 1 + x * 3);
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
export const pngDataUrl = (png) => `data:image/png;base64,${png.toString('base64')}`;
