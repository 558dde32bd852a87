// Check 4 for Python tools: pyproject.toml parses and its [project].dependencies declare what a tool
// needs to serve the contract. fastapi and uvicorn are required (fail); pydantic and python-dotenv are
// expected but only warn, since every cookbook tool leaves pydantic to come in through fastapi.
import { fail, pass, warn, type CheckOutcome } from '../context';

const REQUIRED = ['fastapi', 'uvicorn'];
const EXPECTED = ['pydantic', 'python-dotenv'];

/** PEP 503 normalised name of a PEP 508 requirement (`Uvicorn[standard]>=0.30; python_version>"3"` → `uvicorn`). */
export function requirementName(requirement: string): string | undefined {
  const m = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)/.exec(requirement);
  return m ? m[1].toLowerCase().replace(/[-_.]+/g, '-') : undefined;
}

/** A requirement that does not come from an index (VCS, URL, local path, archive). */
export function isNonIndexRequirement(requirement: string): boolean {
  const r = requirement.trim();
  return (
    /(^|\s|@)git\+/i.test(r) ||
    /file:\/\//i.test(r) ||
    /@\s*https?:/i.test(r) ||
    /\burl\s*=/i.test(r) ||
    /^(\.{1,2}[\\/]|[\\/])/.test(r) ||
    /\.(whl|tar\.gz|zip)(\s|;|$)/i.test(r)
  );
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

export async function checkPyproject(text: string): Promise<CheckOutcome> {
  // smol-toml ships as an ES module: loaded with import() from this CommonJS-compiled file.
  const { parse, TomlError } = await import('smol-toml');
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    const located = error instanceof TomlError;
    const where = located ? ` (line ${error.line}, column ${error.column})` : '';
    const first = (error as Error).message.split('\n')[0].replace(/^Invalid TOML document:\s*/, '');
    return fail(`pyproject.toml is not valid TOML: ${first}${where}.`, {
      line: located ? error.line : null,
      column: located ? error.column : null,
      error: (error as Error).message,
    });
  }
  const project = isRecord(doc) ? doc.project : undefined;
  if (!isRecord(project)) {
    return fail('pyproject.toml has no [project] table: declare the tool\'s dependencies under [project] dependencies = ["fastapi", "uvicorn", …].');
  }
  const deps = project.dependencies;
  if (deps === undefined || (Array.isArray(deps) && deps.length === 0)) {
    return fail('pyproject.toml declares no dependencies: add "fastapi" and "uvicorn" to [project].dependencies (missing required fastapi, uvicorn).', {
      missing_required: REQUIRED,
    });
  }
  if (!Array.isArray(deps) || deps.some((d) => typeof d !== 'string')) {
    return fail('pyproject.toml [project].dependencies must be a list of strings such as "fastapi>=0.115".');
  }
  const requirements = deps as string[];
  const names = new Set(requirements.map(requirementName).filter((n): n is string => n !== undefined));
  const missingRequired = REQUIRED.filter((n) => !names.has(n));
  const missingExpected = EXPECTED.filter((n) => !names.has(n));
  const nonIndex = requirements.filter(isNonIndexRequirement);
  const details = {
    dependencies: requirements,
    missing_required: missingRequired,
    missing_expected: missingExpected,
    non_index: nonIndex,
  };
  if (missingRequired.length > 0) {
    return fail(
      `pyproject.toml is missing required dependenc${missingRequired.length > 1 ? 'ies' : 'y'} ${missingRequired.join(', ')}: ` +
        `add ${missingRequired.map((n) => `"${n}"`).join(' and ')} to [project].dependencies (every tool serves its HTTP contract with FastAPI on uvicorn).`,
      details,
    );
  }
  const notes: string[] = [];
  if (missingExpected.length > 0) {
    notes.push(`it does not declare ${missingExpected.join(' or ')} (the tool gets ${missingExpected.length > 1 ? 'them' : 'it'} only indirectly; declare ${missingExpected.length > 1 ? 'them' : 'it'} if main.py imports ${missingExpected.length > 1 ? 'them' : 'it'})`);
  }
  if (nonIndex.length > 0) {
    notes.push(`${nonIndex.length === 1 ? 'a dependency does' : `${nonIndex.length} dependencies do`} not come from PyPI (${nonIndex.join(', ')}), so the venv may not rebuild elsewhere`);
  }
  if (notes.length > 0) return warn(`pyproject.toml declares fastapi and uvicorn, but ${notes.join('; and ')}.`, details);
  return pass(`pyproject.toml declares ${requirements.length} dependencies including fastapi and uvicorn.`, details);
}
