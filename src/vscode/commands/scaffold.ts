// "Create Tool…": writes tools/<id>/tool.json and a dependency-free Node main.mjs that implements the tool contract
// (GET /healthz, GET /schema, POST /run, POST /cancel on 127.0.0.1:--port). Pure Node, no vscode.
import fs from 'node:fs';
import path from 'node:path';

/** The original's `pixie scaffold-tool` rule for ids. */
export const TOOL_ID_PATTERN = /^[a-z][a-z0-9-]*$/;
const TOOL_ID_MAX = 64;

/** Why `id` cannot be used for a new tool in `toolsDir`, or undefined when it can. */
export function toolIdProblem(id: string, toolsDir: string, existingIds: readonly string[] = []): string | undefined {
  if (id === '') return 'Enter an id such as "word-count".';
  if (!TOOL_ID_PATTERN.test(id)) return 'Use lowercase letters, digits and "-", starting with a letter (like "word-count").';
  if (id.length > TOOL_ID_MAX) return `Keep the id to ${TOOL_ID_MAX} characters or fewer.`;
  if (existingIds.includes(id)) return `A tool with the id "${id}" already exists.`;
  if (fs.existsSync(path.join(toolsDir, id))) return `tools/${id} already exists.`;
  return undefined;
}

/** `word-count` → `Word Count`. */
export function titleFromId(id: string): string {
  return id
    .split('-')
    .filter((part) => part !== '')
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join(' ');
}

export interface ScaffoldOptions {
  id: string;
  name: string;
  description?: string;
}

export interface ScaffoldResult {
  dir: string;
  toolJsonPath: string;
  mainPath: string;
}

export function toolJsonFor(options: ScaffoldOptions): string {
  const spec = {
    id: options.id,
    name: options.name,
    description: options.description ?? `${options.name}: counts the words of a text.`,
    version: '0.1.0',
    entrypoint: 'main.mjs',
    inputs: [
      { key: 'text', label: 'Text', type: 'textarea', default: 'Hello from Pixie', description: 'The text to look at.' },
      { key: 'upper', label: 'Upper case', type: 'toggle', default: false, required: false },
    ],
    outputs: [
      { key: 'result', label: 'Result', type: 'text' },
      { key: 'words', label: 'Words', type: 'number' },
    ],
  };
  return `${JSON.stringify(spec, null, 2)}\n`;
}

export const MAIN_MJS = `// A Pixie tool: a small HTTP server on 127.0.0.1:<--port> (node:http only, no dependencies).
// Pixie starts it as \`node main.mjs --port <port>\` in this folder and talks to it over HTTP:
//   GET  /healthz          → 200 once ready
//   GET  /schema           → this folder's tool.json, verbatim
//   POST /run              → {"run_id", "inputs": {...}, "_pixie": {"artefacts_dir"}} → {"<output key>": value}
//   POST /cancel?run_id=   → stop that run if you can (204)
// Files written to _pixie.artefacts_dir are kept as the run's artefacts.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const schema = fs.readFileSync(path.join(here, 'tool.json'), 'utf8');
const portArg = process.argv.indexOf('--port');
const port = Number(portArg >= 0 ? process.argv[portArg + 1] : NaN);
if (!Number.isInteger(port)) {
  process.stderr.write('usage: node main.mjs --port <port>\\n');
  process.exit(2);
}

/** The tool's work: inputs in, outputs keyed by the output keys of tool.json. */
function run(inputs) {
  const text = typeof inputs.text === 'string' ? inputs.text : '';
  const words = text.trim() === '' ? 0 : text.trim().split(/\\s+/).length;
  return { result: inputs.upper ? text.toUpperCase() : text, words };
}

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : JSON.parse(text);
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  try {
    if (req.method === 'GET' && url.pathname === '/healthz') return send(res, 200, { ok: true });
    if (req.method === 'GET' && url.pathname === '/schema') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return res.end(schema);
    }
    if (req.method === 'POST' && url.pathname === '/run') {
      const body = await readJson(req);
      // Pixie nests the inputs under "inputs"; accept a flat body too.
      const inputs = body && typeof body.inputs === 'object' && body.inputs !== null ? body.inputs : body;
      return send(res, 200, run(inputs));
    }
    if (req.method === 'POST' && url.pathname === '/cancel') {
      res.writeHead(204);
      return res.end();
    }
    send(res, 404, { detail: 'Not Found' });
  } catch (error) {
    process.stderr.write(\`\${error?.stack ?? error}\\n\`);
    send(res, 500, { detail: String(error?.message ?? error) });
  }
});
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

/** Creates the folder and both files; refuses an existing folder (nothing is overwritten). */
export function scaffoldNodeTool(toolsDir: string, options: ScaffoldOptions): ScaffoldResult {
  const problem = toolIdProblem(options.id, toolsDir);
  if (problem) throw new Error(problem);
  const dir = path.join(toolsDir, options.id);
  fs.mkdirSync(toolsDir, { recursive: true });
  fs.mkdirSync(dir); // not recursive: fails if it appeared meanwhile
  const toolJsonPath = path.join(dir, 'tool.json');
  const mainPath = path.join(dir, 'main.mjs');
  fs.writeFileSync(toolJsonPath, toolJsonFor(options), { flag: 'wx' });
  fs.writeFileSync(mainPath, MAIN_MJS, { flag: 'wx' });
  return { dir, toolJsonPath, mainPath };
}
