// Check 12: the tool stops on SIGTERM within the grace period (5 s). If it has to be killed, warn: the
// runtime would stop it the same way, but a tool that ignores SIGTERM loses work and delays shutdown.
import { pass, warn, type CheckDefinition, type CheckOutcome, type ValidationContext } from '../context';

async function run(ctx: ValidationContext): Promise<CheckOutcome> {
  const proc = ctx.proc;
  if (!proc) return pass('No process was left to stop.');
  if (proc.exit) {
    const how = proc.exit.signal ? `was killed by ${proc.exit.signal}` : `exited with code ${proc.exit.code}`;
    return warn(`The tool process had already ended before it was asked to stop (it ${how}): a tool should keep serving until it gets SIGTERM.`, {
      exit_code: proc.exit.code,
      signal: proc.exit.signal,
    });
  }
  const graceMs = ctx.timeouts.shutdownGraceMs;
  const started = performance.now();
  const result = await proc.stop({ graceMs });
  const elapsed = Math.round(performance.now() - started);
  const details = { elapsed_ms: elapsed, forced: result.forced, survivors: result.survivors, grace_ms: graceMs };
  if (result.forced) {
    const left = result.survivors.length > 0 ? ` (processes ${result.survivors.join(', ')} survived even SIGKILL)` : '';
    return warn(`The tool did not exit within ${graceMs / 1000} s of SIGTERM and was killed${left}: let SIGTERM stop the server (do not trap or ignore it, and stop child processes with it).`, details);
  }
  return pass(`Exited ${elapsed} ms after SIGTERM.`, details);
}

export const cleanShutdown: CheckDefinition = { name: 'clean_shutdown', gating: false, needsProcess: true, run };
