/** Small timing helpers shared by the bench sections. */

export interface Timing {
  readonly medianMs: number;
  readonly minMs: number;
  readonly runs: number;
}

/** Median wall time of `fn` over `runs` runs after `warmup` runs. */
export async function time(fn: () => unknown | Promise<unknown>, runs = 15, warmup = 3): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { medianMs: samples[Math.floor(samples.length / 2)], minMs: samples[0], runs };
}

export const ms = (v: number) => (v < 1 ? v.toFixed(3) : v < 100 ? v.toFixed(2) : v.toFixed(0));

/** CPU time this process has used, ms (user + system). */
export const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Min CPU time (process.cpuUsage) and median wall time of `runs` calls after `warm` calls. */
export function timeBoth(fn: () => unknown, runs: number, warm = 2): { cpu: number; wall: number } {
  for (let i = 0; i < warm; i++) fn();
  let cpu = Infinity;
  const walls: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c = cpuMs();
    const t = performance.now();
    fn();
    walls.push(performance.now() - t);
    cpu = Math.min(cpu, cpuMs() - c);
  }
  walls.sort((a, b) => a - b);
  return { cpu, wall: walls[Math.floor(walls.length / 2)] };
}
