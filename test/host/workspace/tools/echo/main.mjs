// Echo: returns its text input; optionally its environment, a FastAPI-style error, or an escaped child.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpError, startToolServer } from '../_lib/toolServer.mjs';

startToolServer(path.dirname(fileURLToPath(import.meta.url)), {
  run(inputs, ctx) {
    if (inputs.text === undefined) inputs.text = 'hello';
    if (typeof inputs.text !== 'string') {
      throw new HttpError(422, {
        detail: [{ loc: ctx.shape === 'nested' ? ['body', 'inputs', 'text'] : ['body', 'text'], msg: 'Input should be a valid string', type: 'string_type' }],
      });
    }
    switch (inputs.fail_with) {
      case 'detail-list':
        throw new HttpError(422, {
          detail: [
            { loc: ['body', 'inputs', 'text'], msg: 'String should have at most 3 characters', type: 'string_too_long' },
            { loc: ['body', 'inputs', 'count'], msg: 'Field required', type: 'missing' },
          ],
        });
      case 'detail-string':
        throw new HttpError(400, { detail: `cannot echo "${inputs.text}"` });
      case 'plain-500':
        throw new HttpError(500, `Internal Server Error\n${'x'.repeat(5000)}`);
      default:
    }
    const request = {
      run_id: ctx.runId,
      artefacts_dir: ctx.artefactsDir ?? null,
      header_run_id: ctx.headers['x-pixie-run-id'] ?? null,
      header_artefacts_dir: ctx.headers['x-pixie-artefacts-dir'] ?? null,
      shape: ctx.shape,
      pid: process.pid,
    };
    // kv outputs carry `pairs` (reference §3.4); the same fields stay at the top level for tests that read them.
    const env = inputs.show_env ? { ...process.env } : {};
    const out = {
      echo: inputs.text,
      request: { ...request, pairs: request },
      env: { ...env, pairs: env },
      orphan_pid: 0, // 0 = no orphan spawned (a declared output must always be present)
    };
    if (inputs.spawn_orphan) {
      // Its own session: a signal to our process group does not reach it.
      const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' });
      child.unref();
      out.orphan_pid = child.pid;
    }
    return out;
  },
});
