/**
 * Named crash points for testing crash safety (RELIABILITY.md T2): when a point fires, the process
 * dies at once with SIGKILL — no cleanup, no flush — exactly like `kill -9` at that line.
 * Configured by SCANPAY_FAILPOINTS: `pay.after_intent=@1` fires at the first hit,
 * `pay.after_send=0.05` at 5% of hits. Unconfigured points cost one map lookup.
 */
export const FAILPOINTS = [
  'pay.after_intent', // the intent is committed; the channel call has not started
  'pay.after_send', // the pay request is on the wire; no answer yet
  'pay.before_result_commit', // the answer arrived; its transaction is open, not committed
  'pay.after_result_commit', // committed; the terminal has not been answered
  'resolve.during_query', // a query is on the wire
  'resolve.during_cancel', // a cancel is on the wire
  'notify.during_handling', // a verified notification's transaction is open
] as const;
export type FailpointName = (typeof FAILPOINTS)[number];

type Rule = { kind: 'nth'; n: number; hits: number } | { kind: 'probability'; p: number };

const rules = new Map<string, Rule>();
let random: () => number = Math.random;

export function configureFailpoints(spec: string | undefined, rng: () => number = Math.random): void {
  rules.clear();
  random = rng;
  if (!spec) return;
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [name, value] = part.split('=');
    if (!name || !value || !(FAILPOINTS as readonly string[]).includes(name)) {
      throw new Error(`SCANPAY_FAILPOINTS: unknown or malformed "${part}"; known: ${FAILPOINTS.join(', ')}`);
    }
    if (value.startsWith('@')) rules.set(name, { kind: 'nth', n: Number(value.slice(1)), hits: 0 });
    else rules.set(name, { kind: 'probability', p: Number(value) });
  }
}

export function failpoint(name: FailpointName): void {
  if (rules.size === 0) return;
  const rule = rules.get(name);
  if (!rule) return;
  const fire = rule.kind === 'nth' ? ++rule.hits === rule.n : random() < rule.p;
  if (!fire) return;
  process.stderr.write(`failpoint ${name}: crashing now (SIGKILL)\n`);
  process.kill(process.pid, 'SIGKILL');
}

export function failpointsActive(): boolean {
  return rules.size > 0;
}
