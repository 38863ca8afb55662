/**
 * Compares dotted version strings numerically, part by part (`2.10.0` > `2.9.3`, `2024.6.1` >
 * `2024.5.30`); a missing part counts as 0 and a pre-release suffix (`-beta`) sorts before the
 * release. Returns -1, 0 or 1.
 */
export function compareVersions(a: string, b: string): -1 | 0 | 1 {
  const [coreA = '', preA] = a.trim().replace(/^v/i, '').split('-', 2);
  const [coreB = '', preB] = b.trim().replace(/^v/i, '').split('-', 2);
  const pa = coreA.split('.');
  const pb = coreB.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = Number.parseInt(pa[i] ?? '0', 10) || 0;
    const y = Number.parseInt(pb[i] ?? '0', 10) || 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  if (preA === preB) return 0;
  if (preA === undefined) return 1;
  if (preB === undefined) return -1;
  return preA < preB ? -1 : 1;
}
