// Makes sure the Python fixture tools have their .venv (built over Debian's python3-fastapi/uvicorn by
// test/fixtures/tools/setup-python-venvs.sh). Returns a skip reason when this machine cannot run them.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const SCRIPT = path.resolve(__dirname, '..', 'fixtures', 'tools', 'setup-python-venvs.sh');
let cached: string | undefined | null = null;

/** undefined when every Python fixture tool has a working .venv; otherwise why they cannot run. */
export function ensurePythonVenvs(): string | undefined {
  if (cached !== null) return cached;
  const result = spawnSync('bash', [SCRIPT], { encoding: 'utf8', timeout: 120_000 });
  if (result.status === 0) cached = undefined;
  else if (result.status === 3) cached = result.stderr.trim();
  else throw new Error(`${SCRIPT} failed (exit ${result.status ?? result.signal}):\n${result.stderr}${result.stdout}`);
  return cached;
}
