import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

/**
 * SCANPAY_CPU_PROFILE=<file>: records a CPU profile of this process (open it in Chrome DevTools)
 * and writes it when the process stops. A developer tool for the benchmarks; off by default.
 */
export async function startCpuProfile(file: string | undefined): Promise<(() => Promise<void>) | undefined> {
  if (!file) return undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}
