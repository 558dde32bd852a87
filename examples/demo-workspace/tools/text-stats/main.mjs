// Text statistics: words, sentences, reading time, readability and the words used most often.
// A Pixie tool in plain Node (no dependencies): `node main.mjs --port 8123`, then POST /run.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const WORDS_PER_MINUTE = 230;
// Little words that dominate any count; left out of the ranking when "Skip common words" is on.
const STOPWORDS = new Set(
  ('a about after all also an and any are as at be because been but by can could did do does for from had has have ' +
    'he her his how i if in into is it its just me more most my no not of on or our out over she so some such than ' +
    'that the their them then there these they this those to too up us very was we were what when where which who ' +
    'will with would you your').split(' '),
);

/** Rough English syllable count: groups of vowels, minus a silent final e. Good enough for a readability score. */
function syllables(word) {
  const w = word.toLowerCase().replace(/[^a-z]/g, '');
  if (w.length <= 3) return 1;
  const groups = w.replace(/(?:[^laeiouy]es|ed|[^laeiouy]e)$/, '').replace(/^y/, '').match(/[aeiouy]{1,2}/g);
  return Math.max(1, groups ? groups.length : 1);
}

/** Flesch reading ease: 90+ very easy, 60–70 plain English, below 30 hard going. */
function readingEase(words, sentences, syllableCount) {
  if (words === 0 || sentences === 0) return 0;
  return 206.835 - 1.015 * (words / sentences) - 84.6 * (syllableCount / words);
}

function easeLabel(score) {
  if (score >= 90) return 'very easy';
  if (score >= 70) return 'easy';
  if (score >= 60) return 'plain English';
  if (score >= 50) return 'fairly difficult';
  if (score >= 30) return 'difficult';
  return 'very difficult';
}

const round = (n, digits) => Math.round(n * 10 ** digits) / 10 ** digits;

function integerIn(inputs, key, min, max) {
  const n = Number(inputs[key]);
  if (!Number.isInteger(n) || n < min || n > max) throw new BadInput(key, `must be a whole number from ${min} to ${max}`);
  return n;
}

function analyse(inputs) {
  const text = typeof inputs.text === 'string' ? inputs.text : '';
  if (text.trim() === '') throw new BadInput('text', 'paste some text to analyse');
  const topN = integerIn(inputs, 'top_n', 3, 30);
  const minLength = integerIn(inputs, 'min_word_length', 1, 30);
  const caseSensitive = inputs.case_sensitive === true;
  const skipStopwords = inputs.skip_stopwords !== false;

  const words = text.match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu) ?? [];
  // A sentence ends at . ! ? or … followed by white space, or at a blank line.
  const sentences = text.split(/(?<=[.!?…])\s+|\n\s*\n/u).filter((s) => /[\p{L}\p{N}]/u.test(s));
  const paragraphs = text.split(/\n\s*\n/).filter((p) => p.trim() !== '');
  const syllableCount = words.reduce((sum, w) => sum + syllables(w), 0);
  const letters = words.reduce((sum, w) => sum + w.length, 0);
  const ease = readingEase(words.length, sentences.length, syllableCount);

  const counts = new Map();
  for (const word of words) {
    const key = caseSensitive ? word : word.toLowerCase();
    if (key.length < minLength) continue;
    if (skipStopwords && STOPWORDS.has(key.toLowerCase())) continue;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  // Most frequent first; ties alphabetically, so the same text always gives the same table.
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const counted = ranked.reduce((sum, [, n]) => sum + n, 0);
  const top = ranked.slice(0, topN);

  const longestWord = words.reduce((best, w) => (w.length > best.length ? w : best), '');
  const longestSentence = sentences.reduce((best, s) => (s.trim().length > best.length ? s.trim() : best), '');
  const minutes = words.length / WORDS_PER_MINUTE;

  return {
    word_count: words.length,
    reading_time: round(minutes, 1),
    summary: {
      pairs: [
        { key: 'Characters', value: [...text].length },
        { key: 'Characters (no spaces)', value: [...text.replace(/\s/g, '')].length },
        { key: 'Words', value: words.length },
        { key: 'Distinct words', value: new Set(words.map((w) => (caseSensitive ? w : w.toLowerCase()))).size },
        { key: 'Sentences', value: sentences.length },
        { key: 'Paragraphs', value: paragraphs.length },
        { key: 'Average word length', value: round(words.length ? letters / words.length : 0, 2) },
        { key: 'Words per sentence', value: round(sentences.length ? words.length / sentences.length : 0, 1) },
        { key: 'Reading ease (Flesch)', value: `${round(ease, 1)} (${easeLabel(ease)})` },
      ],
    },
    frequencies: {
      columns: [
        { key: 'rank', label: 'Rank', type: 'number' },
        { key: 'word', label: 'Word', type: 'text' },
        { key: 'count', label: 'Count', type: 'number' },
        { key: 'share', label: 'Share (%)', type: 'number' },
      ],
      rows: ranked.map(([word, count], i) => ({ rank: i + 1, word, count, share: round((100 * count) / counted, 1) })),
    },
    top_words: {
      x: top.map(([word]) => word),
      series: [{ name: 'Occurrences', y: top.map(([, count]) => count) }],
    },
    highlights: [
      `**${words.length} words** in ${sentences.length} sentence${sentences.length === 1 ? '' : 's'}: ` +
        `${minutes < 1 ? 'under a minute' : `about ${Math.round(minutes)} minute${Math.round(minutes) === 1 ? '' : 's'}`} to read ` +
        `at ${WORDS_PER_MINUTE} words a minute. Reading ease **${round(ease, 0)}**: ${easeLabel(ease)}.`,
      '',
      top.length > 0
        ? `Most used: ${top.slice(0, 5).map(([w, n]) => `*${w}* (${n})`).join(', ')}.`
        : 'No word passes the filters; lower the minimum length or include common words.',
      '',
      `Longest word: \`${longestWord}\` (${longestWord.length} letters).`,
      '',
      `Longest sentence (${longestSentence.split(/\s+/).length} words):`,
      '',
      `> ${longestSentence.replace(/\s+/g, ' ')}`,
    ].join('\n'),
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

serve({ run: analyse });
