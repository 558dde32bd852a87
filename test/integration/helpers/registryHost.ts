// A small Pixie host for the orphan-reaper test: a Launcher that keeps a process registry, with two fixture tools
// warm (echo, which also leaves a child in its own session, and ignores-sigterm, whose tree only dies by SIGKILL).
// Prints one JSON line with every pid, then waits; when stdin closes it disposes the launcher and exits.
// Usage: node --import tsx registryHost.ts <registryDir> <artefactsRoot>   (PIXIE_TEST_MARKER is passed to the tools)
import { Launcher } from '../../../src/core/runner/launcher';
import { postRun } from '../../../src/core/runner/client';
import { fixtureSpec, MARKER_ENV } from '../../helpers/toolProcesses';

export interface RegistryHostReport {
  hostPid: number;
  registryFile: string;
  echo: { pid: number; port: number; orphan: number };
  stubborn: { pid: number; port: number; sameGroup: number; ownSession: number };
}

async function main(): Promise<void> {
  const [registryDir, artefactsRoot] = process.argv.slice(2);
  if (!registryDir || !artefactsRoot) throw new Error('usage: registryHost.ts <registryDir> <artefactsRoot>');
  const launcher = new Launcher({
    artefactsRoot,
    registryDir,
    stopGraceMs: 500,
    extraEnv: { [MARKER_ENV]: process.env[MARKER_ENV] ?? '' },
    onRegistryError: (error) => process.stderr.write(`registry: ${error.message}\n`),
  });
  const echo = await launcher.ensureRunning(fixtureSpec('echo'));
  const echoOut = await postRun(echo.baseUrl, { runId: 'r1', inputs: { text: 'x', spawn_orphan: true }, artefactsDir: artefactsRoot });
  const stubborn = await launcher.ensureRunning(fixtureSpec('ignores-sigterm'));
  const stubbornOut = await postRun(stubborn.baseUrl, { runId: 'r2', inputs: {}, artefactsDir: artefactsRoot });
  const pids = stubbornOut.pids as { same_group: number; own_session: number };
  const report: RegistryHostReport = {
    hostPid: process.pid,
    registryFile: launcher.registryFile ?? '',
    echo: { pid: echo.pid, port: echo.port, orphan: echoOut.orphan_pid as number },
    stubborn: { pid: stubborn.pid, port: stubborn.port, sameGroup: pids.same_group, ownSession: pids.own_session },
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.stdin.resume();
  process.stdin.once('end', () => {
    void launcher.dispose().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
