// Check 4: the tool's project file — pyproject.toml for Python tools, package.json for Node tools.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fail, type CheckDefinition, type CheckOutcome, type ValidationContext } from '../context';
import { checkNodeProject } from './nodeProject';
import { checkPyproject } from './pythonProject';

async function run(ctx: ValidationContext): Promise<CheckOutcome> {
  if (ctx.runtime === 'node') return checkNodeProject(ctx.dir, ctx.entrypoint);
  let text: string;
  try {
    text = await fs.readFile(path.join(ctx.dir, 'pyproject.toml'), 'utf8');
  } catch (error) {
    return fail(`pyproject.toml cannot be read: ${(error as Error).message}.`);
  }
  return checkPyproject(text);
}

export const projectFile: CheckDefinition = { name: 'project_file_ok', gating: true, needsProcess: false, run };
