// Countdown: a streaming Pixie tool. POST /run answers at once; GET /stream?run_id= then sends the countdown
// as server-sent events named after the outputs they feed:
//   event: countdown  data: "5… "                 (stream_text: each chunk is appended)
//   event: progress   data: 0.2                   (progress: the newest value wins)
//   event: log        data: {"lines": [{level, message, t}]}   (log: lines are appended)
//   event: summary    data: "**Lift-off!** …"     (markdown: replaces what /run answered)
//   event: done       data: {}                    (or event: error {"message": …} when it fails)
// POST /cancel?run_id= stops it between two ticks. The transcript is also saved in the run's artefacts folder.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve',
  'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty'];
const TENS = { 2: 'twenty', 3: 'thirty', 4: 'forty', 5: 'fifty', 6: 'sixty' };

function spoken(n) {
  if (n <= 20) return WORDS[n];
  const tens = TENS[Math.floor(n / 10)];
  return n % 10 === 0 ? tens : `${tens}-${WORDS[n % 10]}`;
}

function tickText(style, n) {
  if (style === 'words') return `${spoken(n)}… `;
  if (style === 'mission') return `T-minus ${n}… `;
  return `${n}… `;
}

const sleep = (ms, signal) =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });

function checkInputs(inputs) {
  const seconds = Number(inputs.seconds);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 60) throw new BadInput('seconds', 'must be a whole number from 1 to 60');
  const tickMs = Number(inputs.tick_ms);
  if (!Number.isFinite(tickMs) || tickMs < 100 || tickMs > 2000) throw new BadInput('tick_ms', 'must be from 100 to 2000 ms');
  if (!['numbers', 'words', 'mission'].includes(inputs.style)) throw new BadInput('style', 'must be numbers, words or mission');
  const message = String(inputs.launch_message ?? '').trim() || 'Lift-off!';
  return { seconds, tickMs, style: inputs.style, message, failHalfWay: inputs.fail_half_way === true };
}

/** /run: check the inputs and answer at once; the countdown itself is sent over /stream. */
function start(inputs) {
  const { seconds } = checkInputs(inputs);
  return { summary: `Counting down from ${seconds}…` };
}

async function countdown(ctx, emit, signal) {
  const { seconds, tickMs, style, message, failHalfWay } = checkInputs(ctx.inputs);
  const transcript = [];
  const log = (level, text) => {
    transcript.push(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${text}`);
    emit('log', { lines: [{ level, message: text, t: Date.now() / 1000 }] });
  };
  const saveTranscript = () => {
    if (!ctx.artefactsDir) return;
    fs.mkdirSync(ctx.artefactsDir, { recursive: true });
    fs.writeFileSync(path.join(ctx.artefactsDir, 'transcript.txt'), `${transcript.join('\n')}\n`);
  };

  log('info', `Counting down from ${seconds}, one tick every ${tickMs} ms.`);
  emit('progress', 0);
  const started = Date.now();
  for (let n = seconds; n >= 1; n--) {
    if (signal.aborted) {
      log('warn', `Stopped at ${n}: the run was cancelled.`);
      emit('summary', `**Cancelled** with ${n} to go, after ${((Date.now() - started) / 1000).toFixed(1)} s.`);
      saveTranscript();
      emit('done', {});
      return;
    }
    emit('countdown', tickText(style, n));
    log(n <= 3 ? 'warn' : 'info', `${n} to go`);
    if (failHalfWay && n === Math.ceil(seconds / 2)) {
      log('error', 'Simulated failure: the launch was aborted half-way.');
      saveTranscript();
      emit('error', { message: `the countdown failed at ${n} (simulated: "Fail half-way" is on)` });
      return;
    }
    await sleep(tickMs, signal);
    if (!signal.aborted) emit('progress', (seconds - n + 1) / seconds);
  }
  if (signal.aborted) {
    log('warn', 'Cancelled just before the end.');
    emit('summary', '**Cancelled** on the last tick.');
  } else {
    emit('countdown', message);
    log('info', message);
    emit('summary', `**${message}** Counted down from ${seconds} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  }
  saveTranscript();
  emit('done', {});
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

serve({ run: start, stream: countdown });
