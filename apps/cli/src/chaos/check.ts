/**
 * Compares what the platform recorded with the channel's own book, after everything has settled,
 * and counts the violations of RELIABILITY.md I1–I4, I8 (money invariants).
 */
export interface PlatformPayment {
  id: string;
  outTradeNo: string;
  status: string;
  amountFen: number;
  refundedFen: number;
  idempotencyKey: string;
  terminalId: string;
}

export interface SimTrade {
  outTradeNo: string;
  status: string; // WAIT_BUYER_PAY | TRADE_SUCCESS | TRADE_CLOSED | TRADE_FINISHED
  kind?: string;
  totalAmount: string;
  refundedAmount: string;
  cancelAction?: string;
  paidAt?: string;
}

export interface TerminalView {
  idempotencyKey: string;
  terminalId: string;
  status: string | 'pending' | 'refused';
}

export interface ChaosVerdict {
  payments: number;
  doubleCharges: number;
  lost: number;
  phantom: number;
  unresolved: number;
  statusMismatches: number;
  terminalDisagreements: number;
  ledgerDifferenceFen: number;
  examples: string[];
}

const fen = (yuan: string) => Math.round(Number(yuan) * 100);
const PAID_STATES = new Set(['succeeded', 'partially_refunded', 'refunded']);
const PENDING = new Set(['processing', 'waiting_buyer']);

/** What the buyer was charged and not given back, by the channel's book. */
function netCharged(t: SimTrade): number {
  if (!t.paidAt && t.status !== 'TRADE_SUCCESS' && t.status !== 'TRADE_FINISHED') return 0;
  if (t.status === 'TRADE_CLOSED') return 0; // closed after payment means fully returned (cancel or refund)
  return fen(t.totalAmount) - fen(t.refundedAmount ?? '0');
}

export function checkAgainstBook(
  payments: PlatformPayment[],
  trades: SimTrade[],
  ledger: { clearingFen: number },
  terminals: TerminalView[],
): ChaosVerdict {
  const byOutTradeNo = new Map(trades.map((t) => [t.outTradeNo, t]));
  const examples: string[] = [];
  const note = (s: string) => {
    if (examples.length < 20) examples.push(s);
  };
  let lost = 0;
  let phantom = 0;
  let unresolved = 0;
  let statusMismatches = 0;
  const paidPerIntent = new Map<string, number>();

  for (const p of payments) {
    const t = byOutTradeNo.get(p.outTradeNo);
    const charged = t ? netCharged(t) : 0;
    if (PENDING.has(p.status)) {
      unresolved++;
      note(`unresolved ${p.outTradeNo}: platform ${p.status}, channel ${t?.status ?? 'none'}`);
      continue;
    }
    if (charged > 0) {
      const key = `${p.terminalId}:${p.idempotencyKey}`;
      paidPerIntent.set(key, (paidPerIntent.get(key) ?? 0) + 1);
    }
    const platformCharged = PAID_STATES.has(p.status) ? p.amountFen - p.refundedFen : 0;
    if (charged > 0 && !PAID_STATES.has(p.status)) {
      lost++;
      note(`lost ${p.outTradeNo}: channel charged ${charged} fen, platform says ${p.status}`);
    } else if (charged === 0 && PAID_STATES.has(p.status) && platformCharged > 0) {
      phantom++;
      note(`phantom ${p.outTradeNo}: platform ${p.status}, channel ${t?.status ?? 'none'}`);
    } else if (charged !== platformCharged) {
      statusMismatches++;
      note(`mismatch ${p.outTradeNo}: channel net ${charged} fen, platform net ${platformCharged} (${p.status})`);
    }
  }
  // A trade the channel charged that the platform never recorded is lost too.
  const known = new Set(payments.map((p) => p.outTradeNo));
  for (const t of trades) {
    if (!known.has(t.outTradeNo) && netCharged(t) > 0) {
      lost++;
      note(`lost ${t.outTradeNo}: charged at the channel, unknown to the platform`);
    }
  }
  const doubleCharges = [...paidPerIntent.values()].reduce((s, n) => s + Math.max(0, n - 1), 0);

  const platformStatus = new Map(payments.map((p) => [`${p.terminalId}:${p.idempotencyKey}`, p.status]));
  let terminalDisagreements = 0;
  for (const v of terminals) {
    if (v.status === 'refused') continue;
    const s = platformStatus.get(`${v.terminalId}:${v.idempotencyKey}`);
    if (s !== v.status) {
      terminalDisagreements++;
      note(`terminal shows ${v.status} for ${v.idempotencyKey}, platform ${s ?? 'nothing'}`);
    }
  }
  const bookNet = trades.reduce((s, t) => s + netCharged(t), 0);
  return {
    payments: payments.length,
    doubleCharges,
    lost,
    phantom,
    unresolved,
    statusMismatches,
    terminalDisagreements,
    ledgerDifferenceFen: ledger.clearingFen - bookNet,
    examples,
  };
}

export function isClean(v: ChaosVerdict): boolean {
  return (
    v.doubleCharges === 0 &&
    v.lost === 0 &&
    v.phantom === 0 &&
    v.unresolved === 0 &&
    v.statusMismatches === 0 &&
    v.terminalDisagreements === 0 &&
    v.ledgerDifferenceFen === 0
  );
}
