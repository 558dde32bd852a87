// Tools lead their own process groups, so they would outlive a host that exits without stopping them
// (a crash, process.exit in the CLI). As a last resort the host's 'exit' event SIGKILLs every tool group
// still alive and every descendant that left its group. Only synchronous work is possible there.
import { listDescendantsSync } from './processTree';

const liveGroups = new Set<number>();
let installed = false;

function killAllSync(): void {
  const escaped = listDescendantsSync([...liveGroups]);
  for (const target of [...[...liveGroups].map((group) => -group), ...escaped]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Registers a tool's process group (its leader's pid) for the host-exit kill. */
export function guardGroup(pid: number): void {
  liveGroups.add(pid);
  if (installed) return;
  installed = true;
  process.once('exit', killAllSync);
}

/** The leader exited: the launcher's own stop/cleanup takes it from here. */
export function releaseGroup(pid: number): void {
  liveGroups.delete(pid);
}
