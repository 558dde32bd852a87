// Check 4 for Node tools: package.json is optional; when present it must parse, should have a name, and
// its "type" must agree with the entrypoint's module syntax. Dependencies are not required (the contract
// needs only node:http), but declared ones must be installed.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { jsonTree, LineIndex, nodeValue } from '../../tools/sourceTree';
import { fail, pass, warn, type CheckOutcome } from '../context';

/** Rough but reliable for entry files: a top-level `import … from` / `export` statement means ES module syntax. */
export function usesEsmSyntax(source: string): boolean {
  return /^\s*(import\s+[\w*{][^;]*\bfrom\s*['"]|import\s*['"]|export\s+(default|const|function|class|async|let|\{|\*))/m.test(source);
}

export function usesCommonJs(source: string): boolean {
  return /(^|[^.\w])require\s*\(\s*['"]|module\.exports\s*=|^\s*exports\.\w+\s*=/m.test(source);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export async function checkNodeProject(dir: string, entrypoint: string): Promise<CheckOutcome> {
  const ext = path.extname(entrypoint).toLowerCase();
  const file = path.join(dir, 'package.json');
  let text: string | undefined;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return fail(`package.json cannot be read: ${(error as Error).message}.`);
  }
  const source = ext === '.js' ? await fs.readFile(path.join(dir, entrypoint), 'utf8').catch(() => '') : '';
  if (text === undefined) {
    if (ext === '.js' && usesEsmSyntax(source)) {
      return warn(`${entrypoint} uses import/export but there is no package.json: Node runs it only because it detects module syntax (Node ≥ 20.19); rename it to .mjs or add a package.json with "type": "module".`, { package_json: false });
    }
    return pass(`No package.json, and none is needed: ${entrypoint} ${ext === '.mjs' ? 'is an ES module' : ext === '.cjs' ? 'is CommonJS' : 'runs as is'} with Node's built-ins.`, { package_json: false });
  }
  const { root, problems } = jsonTree(text);
  if (!root) {
    const at = new LineIndex(text).position(problems[0]?.start ?? 0);
    return fail(`package.json is not valid JSON: ${problems[0]?.message ?? 'unreadable'} (line ${at.line}, column ${at.column}).`, {
      package_json: true,
      line: at.line,
      column: at.column,
    });
  }
  const pkg: unknown = nodeValue(root);
  if (!isRecord(pkg)) return fail('package.json must be a JSON object.', { package_json: true });

  const type = pkg.type;
  const details = { package_json: true, name: typeof pkg.name === 'string' ? pkg.name : null, type: typeof type === 'string' ? type : null };
  if (type !== undefined && type !== 'module' && type !== 'commonjs') {
    return fail(`package.json "type" is ${JSON.stringify(type)}: it must be "module" or "commonjs".`, details);
  }
  if (ext === '.js' && type === 'commonjs' && usesEsmSyntax(source)) {
    return fail(`${entrypoint} uses import/export but package.json says "type": "commonjs", so Node cannot load it: set "type": "module" or rename the entrypoint to .mjs.`, details);
  }
  if (ext === '.js' && type === 'module' && usesCommonJs(source) && !usesEsmSyntax(source)) {
    return fail(`${entrypoint} uses require()/module.exports but package.json says "type": "module", where require is not defined: remove "type": "module" or rename the entrypoint to .cjs.`, details);
  }

  const notes: string[] = [];
  if (typeof pkg.name !== 'string' || pkg.name.trim() === '') notes.push('it has no "name"; give it one (the tool id is a good choice)');
  const deps = isRecord(pkg.dependencies) ? Object.keys(pkg.dependencies) : [];
  const missing: string[] = [];
  for (const dep of deps) {
    const st = await fs.stat(path.join(dir, 'node_modules', dep)).catch(() => undefined);
    if (!st?.isDirectory()) missing.push(dep);
  }
  if (missing.length > 0) notes.push(`declared dependenc${missing.length > 1 ? 'ies are' : 'y is'} not installed (${missing.join(', ')}): run npm install in the tool folder`);
  if (ext === '.js' && type === undefined && usesEsmSyntax(source)) {
    notes.push(`${entrypoint} uses import/export without "type": "module", relying on Node's module-syntax detection (Node ≥ 20.19); add "type": "module"`);
  }
  const full = { ...details, dependencies: deps, missing_dependencies: missing };
  if (notes.length > 0) return warn(`package.json parses, but ${notes.join('; and ')}.`, full);
  return pass(`package.json parses${details.name ? ` ("${details.name}")` : ''}${deps.length > 0 ? ` and its ${deps.length} dependencies are installed` : ''}.`, full);
}
