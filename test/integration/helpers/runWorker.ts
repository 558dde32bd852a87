// A second Pixie process for the interrupted-run test: opens the same pixie.db, starts one run of a tool through its
// own Launcher and RunService, prints `{"runId": …}` on stdout once the `running` row is committed, then waits to be
// killed. Usage: node --import tsx runWorker.ts '{"dbPath","artefactsRoot","toolsDir","toolId","inputs","marker"}'
import { resolveConfig } from '../../../src/core/config';
import { openStore } from '../../../src/core/store/open';
import { Launcher } from '../../../src/core/runner/launcher';
import { RunService } from '../../../src/core/runner/runService';
import { discoverTools } from '../../../src/core/tools/discovery';
import { MARKER_ENV } from '../../helpers/toolProcesses';

interface WorkerArgs {
  dbPath: string;
  artefactsRoot: string;
  toolsDir: string;
  toolId: string;
  inputs: Record<string, unknown>;
  marker: string;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as WorkerArgs;
  const config = resolveConfig(process.cwd(), { dbPath: args.dbPath, artefactsRoot: args.artefactsRoot, toolsDir: args.toolsDir }, {});
  const store = await openStore({ dbPath: config.dbPath });
  const launcher = new Launcher({ artefactsRoot: config.artefactsRoot, extraEnv: { [MARKER_ENV]: args.marker } });
  const service = new RunService({ store, launcher, config });
  const tool = (await discoverTools(config.toolsDir)).find((t) => t.toolId === args.toolId);
  if (!tool) throw new Error(`no tool ${args.toolId} in ${config.toolsDir}`);
  const handle = await service.start(tool, args.inputs);
  // Tell the test only once the tool process is up and busy with this run, so the kill lands mid-run.
  const deadline = Date.now() + 20_000;
  while (!launcher.get(args.toolId) || (launcher.get(args.toolId)?.activeUses ?? 0) === 0) {
    if (Date.now() > deadline) throw new Error('the tool never became busy');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  process.stdout.write(`${JSON.stringify({ runId: handle.runId, toolPid: launcher.get(args.toolId)?.pid })}\n`);
  setInterval(() => undefined, 60_000); // stay alive until killed
}

main().catch((error: unknown) => {
  process.stderr.write(`runWorker: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
