// Named scenarios beyond the plain sub_codes: the unknown-result situations of brief §4.
import type { FaultRule } from './faults.ts';

export interface ScenarioAlias {
  description: string;
  rule: (body: Record<string, unknown>) => FaultRule;
}

const ms = (body: Record<string, unknown>, fallback: number) => (typeof body.confirmAfterMs === 'number' ? body.confirmAfterMs : fallback);

export const SCENARIO_ALIASES: Record<string, ScenarioAlias> = {
  'buyer-confirms': {
    description: 'pay answers 10003; the buyer confirms after confirmAfterMs (simulated, default 10000)',
    rule: (b) => ({ kind: 'wait_buyer', method: 'alipay.trade.pay', confirmAfterMs: ms(b, 10_000) }),
  },
  'buyer-never-confirms': {
    description: 'pay answers 10003 and the trade auto-closes unpaid',
    rule: () => ({ kind: 'wait_buyer', method: 'alipay.trade.pay', confirmAfterMs: null }),
  },
  'system-error-paid': {
    description: 'pay answers 20000 but the buyer was charged behind it',
    rule: () => ({ kind: 'system_error', method: 'alipay.trade.pay', commit: true }),
  },
  'system-error-unpaid': {
    description: 'pay answers 20000 and no trade was created',
    rule: () => ({ kind: 'system_error', method: 'alipay.trade.pay', commit: false }),
  },
  'response-lost': {
    description: 'pay is committed, then the connection drops without an answer',
    rule: () => ({ kind: 'drop_response', method: 'alipay.trade.pay' }),
  },
  'slow-answer': {
    description: 'pay is committed, the answer comes after ms (default 15000 real ms)',
    rule: (b) => ({ kind: 'delay', method: 'alipay.trade.pay', ms: typeof b.ms === 'number' ? b.ms : 15_000 }),
  },
  'cancel-retry': {
    description: 'cancel answers retry_flag=Y (ACQ.SYSTEM_ERROR) and does nothing',
    rule: () => ({ kind: 'cancel_retry', method: 'alipay.trade.cancel' }),
  },
  'bad-signature': {
    description: 'the answer carries a signature that does not verify',
    rule: () => ({ kind: 'bad_signature' }),
  },
  'unsigned-error': {
    description: 'an error answer without sign',
    rule: () => ({ kind: 'unsigned_error' }),
  },
  'http-500': {
    description: 'HTTP 500 without processing',
    rule: () => ({ kind: 'http_500' }),
  },
};
