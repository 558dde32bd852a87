// A process's identity is its pid plus its start time: pids are recycled, so a pid alone could name a stranger.
// Linux reads the start time from /proc (via the store's helper); other POSIX systems (macOS) ask `ps` with a fixed
// locale and time zone, so every Pixie process on the machine gets the same string for the same process.
// Windows has no cheap equivalent: undefined there, and callers must then refuse to kill.
import { execFileSync } from 'node:child_process';
import { processStartTime } from '../../store/processAlive';

export function startTimeOf(pid: number, platform: NodeJS.Platform = process.platform): string | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  if (platform === 'linux') return processStartTime(pid);
  if (platform === 'win32') return undefined;
  try {
    const out = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
    }).trim();
    return out === '' ? undefined : `ps:${out.replace(/\s+/g, ' ')}`;
  } catch {
    return undefined; // ps exits 1 for a pid that does not exist
  }
}
