// Reads a V8 .cpuprofile (the inspector's Profiler.stop result) into the few lines a bench prints: where the time
// went by self time per function and per script.

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileSummary {
  totalMs: number;
  byFunction: Array<{ name: string; selfMs: number }>;
  byScript: Array<{ script: string; selfMs: number }>;
}

function scriptName(url: string): string {
  if (!url) return '(native/vm)';
  const clean = url.replace(/^file:\/\//, '');
  const parts = clean.split('/');
  return parts.slice(-2).join('/');
}

export function summariseProfile(profile: CpuProfile, top = 20): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + (deltas[i] ?? 0));
  const functions = new Map<string, number>();
  const scripts = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    const name = `${frame.functionName || '(anonymous)'} ${scriptName(frame.url)}:${frame.lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
    const script = scriptName(frame.url);
    scripts.set(script, (scripts.get(script) ?? 0) + us);
  }
  const sorted = <K extends string>(map: Map<string, number>, key: K) =>
    [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, us]) => ({ [key]: name, selfMs: us / 1000 }) as Record<K, string> & { selfMs: number });
  return {
    totalMs: (profile.endTime - profile.startTime) / 1000,
    byFunction: sorted(functions, 'name'),
    byScript: sorted(scripts, 'script'),
  };
}
