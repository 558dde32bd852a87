// Which processes have a file open (Linux /proc); used to refuse folding a WAL that a live SQLite client owns.
import fs from 'node:fs';
import path from 'node:path';

export interface FileUser {
  pid: number;
  command: string;
}

export function processesWithFileOpen(file: string): FileUser[] | undefined {
  if (process.platform !== 'linux') return undefined;
  const target = path.resolve(file);
  const users: FileUser[] = [];
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or not ours to look at
    }
    for (const fd of fds) {
      let link: string;
      try {
        link = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      if (link === target) {
        let command = '';
        try {
          command = fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
        } catch {
          // unknown command name
        }
        users.push({ pid: Number(pid), command });
        break;
      }
    }
  }
  return users;
}
