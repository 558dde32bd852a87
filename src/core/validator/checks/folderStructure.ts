// Check 1: the files a tool must have. tool.json always; the entrypoint tool.json names (main.py by
// default); pyproject.toml for Python tools. Node tools need no package.json (a .mjs entry runs as is).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse as parseTolerant } from 'jsonc-parser';
import { runtimeFor } from '../../tools/discovery';
import { fail, pass, type CheckDefinition, type CheckOutcome, type ValidationContext } from '../context';

async function readableFile(file: string): Promise<'ok' | 'missing' | 'not-a-file' | 'unreadable'> {
  const st = await fs.stat(file).catch(() => undefined);
  if (!st) return 'missing';
  if (!st.isFile()) return 'not-a-file';
  try {
    await fs.access(file, fs.constants.R_OK);
    return 'ok';
  } catch {
    return 'unreadable';
  }
}

/**
 * The entrypoint named by tool.json, read leniently (even a file with syntax errors usually names it);
 * main.py when it names none; undefined when tool.json is not an object at all, so nothing can be told.
 */
export function entrypointFrom(text: string): string | undefined {
  const raw: unknown = parseTolerant(text, [], { allowTrailingComma: true, disallowComments: false });
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const entry = (raw as Record<string, unknown>).entrypoint;
  return typeof entry === 'string' && entry.trim() !== '' ? entry : 'main.py';
}

function insideFolder(dir: string, file: string): boolean {
  const rel = path.relative(path.resolve(dir), path.resolve(dir, file));
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

async function run(ctx: ValidationContext): Promise<CheckOutcome> {
  const st = await fs.stat(ctx.dir).catch(() => undefined);
  if (!st?.isDirectory()) return fail(`The tool folder ${ctx.dir} does not exist.`, { dir: ctx.dir });

  const problems: string[] = [];
  const files: Record<string, string> = {};
  const toolJson = await readableFile(ctx.toolJsonPath);
  files['tool.json'] = toolJson;
  let known = true;
  if (toolJson === 'ok') {
    ctx.toolJsonText = await fs.readFile(ctx.toolJsonPath, 'utf8');
    const entry = entrypointFrom(ctx.toolJsonText);
    known = entry !== undefined;
    if (entry !== undefined) ctx.entrypoint = entry;
  } else {
    known = false;
    problems.push(toolJson === 'missing'
      ? 'tool.json is missing: every tool folder needs a tool.json describing its inputs and outputs'
      : `tool.json is ${toolJson === 'not-a-file' ? 'not a file' : 'not readable'}`);
  }
  ctx.runtime = runtimeFor(ctx.entrypoint);
  if (problems.length > 0) return fail(`${problems[0]}.`, { files, problems });
  if (!known) {
    // tool.json is not even an object (check 2 says why): its entrypoint and runtime are unknown.
    return pass('Found tool.json; the entrypoint is checked once tool.json is a JSON object (see the next check).', { files, entrypoint: null });
  }

  if (!insideFolder(ctx.dir, ctx.entrypoint)) {
    problems.push(`the entrypoint "${ctx.entrypoint}" (tool.json "entrypoint") is outside the tool folder; use a path inside it such as main.py`);
  } else if (toolJson === 'ok') {
    const entry = await readableFile(path.resolve(ctx.dir, ctx.entrypoint));
    files[ctx.entrypoint] = entry;
    if (entry !== 'ok') {
      const why = entry === 'missing' ? 'is missing' : entry === 'not-a-file' ? 'is not a file' : 'is not readable';
      problems.push(ctx.entrypoint === 'main.py' && !/"entrypoint"/.test(ctx.toolJsonText ?? '')
        ? `main.py ${why} (tool.json sets no "entrypoint", so Pixie starts main.py); add main.py or set "entrypoint"`
        : `the entrypoint ${ctx.entrypoint} (tool.json "entrypoint") ${why}`);
    }
  }

  if (ctx.runtime === 'python') {
    const pyproject = await readableFile(path.join(ctx.dir, 'pyproject.toml'));
    files['pyproject.toml'] = pyproject;
    if (pyproject !== 'ok') {
      problems.push(`pyproject.toml ${pyproject === 'missing' ? 'is missing' : 'is not a readable file'}: a Python tool declares its dependencies (fastapi, uvicorn) there`);
    }
  } else {
    files['package.json'] = await readableFile(path.join(ctx.dir, 'package.json'));
  }

  const details = { runtime: ctx.runtime, entrypoint: ctx.entrypoint, files };
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` Also: ${problems.slice(1).join('; ')}.` : '';
    return fail(`${problems[0]}.${more}`, { ...details, problems });
  }
  const listed = Object.entries(files).filter(([, s]) => s === 'ok').map(([f]) => f);
  return pass(`Found ${listed.join(', ')} (${ctx.runtime} tool).`, details);
}

export const folderStructure: CheckDefinition = { name: 'folder_structure', gating: true, needsProcess: false, run };
