// JSON explorer: the shape of a JSON document at a glance — a summary, an outline, every path with its
// value, and the value at a path you pick (author.name, releases[1], ["odd key"]). Plain Node, no dependencies.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MAX_TABLE_ROWS = 2000;
const PREVIEW_CHARS = 80;

function typeOf(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value; // object, string, number, boolean
}

function preview(value) {
  const text = JSON.stringify(value);
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS - 1)}…` : text;
}

/** `releases[1].notes`, or `["a key"]` for keys that are not plain identifiers. */
function childPath(parent, key) {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${JSON.stringify(key)}]`;
}

/** Splits `a.b[2]["c d"]` into ['a', 'b', 2, 'c d']; throws BadInput on anything else. */
function parsePath(text) {
  const tokens = [];
  const re = /\s*(?:\.?([A-Za-z_$][\w$-]*)|\[\s*(\d+)\s*\]|\[\s*("(?:[^"\\]|\\.)*")\s*\])/y;
  let at = 0;
  const trimmed = text.trim();
  while (at < trimmed.length) {
    re.lastIndex = at;
    const m = re.exec(trimmed);
    if (!m || (tokens.length === 0 && trimmed[at] === '.')) {
      throw new BadInput('path', `cannot read the path at "${trimmed.slice(at)}": use names joined by dots, [index] and ["any key"]`);
    }
    tokens.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : JSON.parse(m[3])));
    at = re.lastIndex;
  }
  return tokens;
}

function select(doc, tokens) {
  let value = doc;
  let where = '';
  for (const token of tokens) {
    const here = where || 'the document';
    if (typeof token === 'number') {
      if (!Array.isArray(value)) throw new BadInput('path', `${here} is ${typeOf(value) === 'object' ? 'an object' : `a ${typeOf(value)}`}, not an array, so [${token}] does not apply`);
      if (token >= value.length) throw new BadInput('path', `${here} has ${value.length} item${value.length === 1 ? '' : 's'}, so there is no [${token}]`);
      value = value[token];
    } else {
      if (typeOf(value) !== 'object') throw new BadInput('path', `${here} is ${typeOf(value) === 'array' ? 'an array' : `a ${typeOf(value)}`}, so it has no key "${token}"`);
      if (!Object.hasOwn(value, token)) {
        const keys = Object.keys(value);
        throw new BadInput('path', `${here} has no key "${token}"; its keys are ${keys.length ? keys.slice(0, 12).join(', ') : '(none)'}`);
      }
      value = value[token];
    }
    where = childPath(where, token);
  }
  return value;
}

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeOf(value) !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys(value[k])]));
}

/** Visits every node, depth first, in document order. */
function walk(value, visit, at = '', depth = 0, key = null) {
  visit(value, at, depth, key);
  if (Array.isArray(value)) value.forEach((item, i) => walk(item, visit, childPath(at, i), depth + 1, i));
  else if (typeOf(value) === 'object') for (const [k, v] of Object.entries(value)) walk(v, visit, childPath(at, k), depth + 1, k);
}

function outline(doc, maxDepth) {
  const lines = [];
  walk(doc, (value, at, depth, key) => {
    if (depth === 0 || depth > maxDepth) return;
    const label = typeof key === 'number' ? `[${key}]` : `\`${key}\``;
    const type = typeOf(value);
    const size = type === 'array' ? ` · ${value.length} items` : type === 'object' ? ` · ${Object.keys(value).length} keys` : '';
    const shown = type === 'array' || type === 'object' ? '' : `: ${preview(value).replace(/[`*_|]/g, '\\$&')}`;
    const deeper = depth === maxDepth && (type === 'array' || type === 'object') && Object.keys(value).length > 0 ? ' …' : '';
    lines.push(`${'  '.repeat(depth - 1)}- ${label} *${type}*${size}${shown}${deeper}`);
  });
  const root = typeOf(doc);
  const head = `**${root === 'array' ? `An array of ${doc.length} items` : `An object with ${Object.keys(doc).length} keys`}**` +
    (lines.length ? '' : ' (empty).');
  return [head, '', ...lines].join('\n');
}

function explore(inputs) {
  let doc = inputs.document;
  if (typeof doc === 'string') {
    try {
      doc = JSON.parse(doc);
    } catch (error) {
      throw new BadInput('document', `not valid JSON: ${error.message}`);
    }
  }
  if (typeOf(doc) !== 'object' && typeOf(doc) !== 'array') throw new BadInput('document', 'expected a JSON object or array');
  const maxDepth = Number(inputs.max_depth);
  if (!Number.isInteger(maxDepth) || maxDepth < 1 || maxDepth > 32) throw new BadInput('max_depth', 'must be a whole number from 1 to 32');
  const indent = { 2: 2, 4: 4, tab: '\t' }[inputs.indent];
  if (indent === undefined) throw new BadInput('indent', 'must be 2, 4 or tab');
  if (inputs.sort_keys === true) doc = sortKeys(doc);
  const pathText = String(inputs.path ?? '');
  const selected = select(doc, parsePath(pathText));

  const counts = { object: 0, array: 0, string: 0, number: 0, boolean: 0, null: 0 };
  let deepest = 0;
  const rows = [];
  walk(doc, (value, at, depth) => {
    const type = typeOf(value);
    counts[type]++;
    deepest = Math.max(deepest, depth);
    if (depth > 0 && rows.length < MAX_TABLE_ROWS) {
      const size = type === 'array' ? value.length : type === 'object' ? Object.keys(value).length : null;
      rows.push({ path: at, type, depth, value: size === null ? preview(value) : `${size} ${type === 'array' ? 'items' : 'keys'}` });
    }
  });
  const nodes = Object.values(counts).reduce((a, b) => a + b, 0);
  const bytes = Buffer.byteLength(JSON.stringify(doc));

  return {
    summary: {
      pairs: [
        { key: 'Root', value: typeOf(doc) },
        { key: 'Values in total', value: nodes },
        { key: 'Deepest nesting', value: deepest },
        ...Object.entries(counts).filter(([, n]) => n > 0).map(([type, n]) => ({ key: `${type[0].toUpperCase()}${type.slice(1)}s`, value: n })),
        { key: 'Size (minified)', value: `${bytes.toLocaleString('en-GB')} bytes` },
      ],
    },
    selected: { value: JSON.stringify(selected, null, indent) ?? 'null', language: 'json' },
    outline: outline(doc, maxDepth),
    paths: {
      columns: [
        { key: 'path', label: 'Path', type: 'text' },
        { key: 'type', label: 'Type', type: 'text' },
        { key: 'depth', label: 'Depth', type: 'number' },
        { key: 'value', label: 'Value', type: 'text' },
      ],
      rows,
      total_rows: nodes - 1,
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

serve({ run: explore });
