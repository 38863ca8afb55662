/** Timing and rate bookkeeping for the scan bench. */

export interface Timing {
  wallMs: number;
  cpuMs: number;
}

/** Runs `fn` and measures wall time and this process's CPU time (other processes' load excluded). */
export async function timed<T>(fn: () => Promise<T> | T): Promise<{ value: T; time: Timing }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { value, time: { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 } };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export class Tally {
  cases = 0;
  read = 0;
  wrong = 0;
  wall: number[] = [];
  cpu: number[] = [];

  addTime(t: Timing): void {
    this.wall.push(t.wallMs);
    this.cpu.push(t.cpuMs);
  }

  rate(): number {
    return this.cases === 0 ? NaN : this.read / this.cases;
  }
}

export function pct(x: number): string {
  return Number.isNaN(x) ? '   -  ' : `${(x * 100).toFixed(1).padStart(5)}%`;
}

export function ms(x: number): string {
  return Number.isNaN(x) ? '   -' : x.toFixed(1).padStart(5);
}

/** "rate  med  p99  max" for one decoder in one row, on CPU time. */
export function cell(t: Tally | undefined): string {
  if (!t) return ''.padEnd(30);
  const wrong = t.wrong > 0 ? ` !${t.wrong}` : '';
  return `${pct(t.rate())} ${ms(percentile(t.cpu, 0.5))} ${ms(percentile(t.cpu, 0.99))} ${ms(Math.max(...t.cpu))}${wrong}`.padEnd(30);
}
