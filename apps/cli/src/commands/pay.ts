import { parseArgs } from 'node:util';
import type { Payment } from '@scanpay/contracts';
import {
  ApiError,
  importPrivateJwk,
  NetworkError,
  pay,
  PaymentStillPending,
  resumePending,
  TerminalClient,
} from '@scanpay/terminal-sdk';
import { dataDir, filePendingStore, paths, readJson, type Runtime, type StoredTerminal } from '../local-state.ts';

export const PAY_HELP = `Usage: scanpay pay --amount <yuan> [--code <payment code>] [--subject <text>] [--json]

Acts as the demo terminal: takes a fresh payment code of the simulator's demo buyer (or the
one given with --code), pays it through the platform and prints the outcome.

  --amount   the amount in yuan, e.g. 12.34 (required)
  --code     pay this payment code instead of asking the simulator for one
  --subject  the order title
  --json     print one JSON object instead of words
  --platform the platform URL (default: the one \`scanpay start\` recorded)
  --simulator the simulator URL (default: the one \`scanpay start\` recorded)

Exit status: 0 paid, 1 refused or failed, 2 still pending, 64 bad usage.`;

export async function payCommand(argv: string[], out = console.log, err = console.error): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      amount: { type: 'string' },
      code: { type: 'string' },
      subject: { type: 'string' },
      json: { type: 'boolean', default: false },
      platform: { type: 'string' },
      simulator: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    out(PAY_HELP);
    return 0;
  }
  if (values.amount === undefined) {
    err('请输入金额 Enter the amount: --amount 12.34\n');
    err(PAY_HELP);
    return 64;
  }
  const dir = dataDir();
  const p = paths(dir);
  const stored = readJson<StoredTerminal>(p.terminal);
  const runtime = readJson<Runtime>(p.runtime);
  if (!stored) {
    err(`no demo terminal in ${dir}: run \`npm start\` (or \`npx scanpay start\`) first, with the same SCANPAY_DATA_DIR`);
    return 64;
  }
  const client = new TerminalClient({
    baseUrl: values.platform ?? runtime?.platformUrl ?? stored.baseUrl,
    terminalId: stored.terminalId,
    privateKey: await importPrivateJwk(stored.privateJwk),
  });
  const store = filePendingStore(p.pending);
  const progress = values.json ? undefined : (s: { stage: string; reason?: string; inMs?: number }) => {
    if (s.stage === 'retrying') err(`  network problem (${s.reason}); retrying with the same request in ${s.inMs} ms — not charging twice`);
  };

  try {
    // An earlier payment that was left undecided is settled first: never charge again before that.
    const earlier = await resumePending(client, store, { ...(progress ? { onProgress: progress } : {}) });
    if (earlier && !values.json) out(`an earlier payment was settled first: ${earlier.outTradeNo} ${earlier.status}`);

    let authCode = values.code;
    if (authCode === undefined) {
      const simulatorUrl = values.simulator ?? runtime?.simulatorUrl ?? `http://127.0.0.1:${process.env.SIM_PORT ?? 8090}`;
      authCode = await freshDemoCode(simulatorUrl);
    }
    const payment = await pay(
      client,
      store,
      { amount: values.amount, authCode, ...(values.subject ? { subject: values.subject } : {}) },
      { ...(progress ? { onProgress: progress } : {}) },
    );
    out(values.json ? JSON.stringify(summary(payment)) : describe(payment, stored.merchantName));
    return payment.status === 'succeeded' ? 0 : 1;
  } catch (e) {
    return reportError(e, Boolean(values.json), out, err);
  }
}

async function freshDemoCode(simulatorUrl: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(`${simulatorUrl}/__sim/payment-codes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
  } catch {
    throw new Error(`the simulator at ${simulatorUrl} does not answer: is \`npm start\` running? (or pass --code)`);
  }
  if (!res.ok) throw new Error(`the simulator refused to issue a payment code: HTTP ${res.status}`);
  return ((await res.json()) as { code: string }).code;
}

function summary(p: Payment) {
  return {
    status: p.status,
    amount: p.amount,
    outTradeNo: p.outTradeNo,
    tradeNo: p.tradeNo,
    id: p.id,
    pending: p.pending,
    message: p.display,
    ...(p.failure ? { failure: p.failure } : {}),
  };
}

function describe(p: Payment, merchantName: string): string {
  const lines = [`${p.display.zh}  ${p.display.en}`, `  amount    ${p.amount} 元 (CNY)`, `  merchant  ${merchantName}`];
  lines.push(`  order     ${p.outTradeNo}`);
  if (p.tradeNo) lines.push(`  Alipay    ${p.tradeNo}`);
  lines.push(`  status    ${p.status}`);
  if (p.failure) {
    lines.push(`  what to do: ${p.failure.remedy.zh}`, `              ${p.failure.remedy.en}`);
    lines.push(`  code      ${p.failure.code}${p.failure.channelSubCode ? ` (${p.failure.channelSubCode})` : ''}`);
  }
  return lines.join('\n');
}

function reportError(e: unknown, json: boolean, out: (s: string) => void, err: (s: string) => void): number {
  if (e instanceof PaymentStillPending) {
    const msg = {
      status: 'pending',
      message: { zh: '支付结果确认中，请勿重复收款', en: 'The result is still being confirmed — do not charge again' },
      idempotencyKey: e.pending.idempotencyKey,
      ...(e.pending.paymentId ? { id: e.pending.paymentId } : {}),
    };
    if (json) out(JSON.stringify(msg));
    else err(`${msg.message.zh}  ${msg.message.en}\n  run \`npx scanpay pay --amount …\` again later: the pending payment is resumed first`);
    return 2;
  }
  if (e instanceof ApiError) {
    if (json) out(JSON.stringify({ status: 'refused', httpStatus: e.status, error: e.problem }));
    else err(`${e.problem.message.zh}  ${e.problem.message.en}\n  what to do: ${e.problem.remedy.zh}\n              ${e.problem.remedy.en}\n  code ${e.problem.code}`);
    return 1;
  }
  if (e instanceof NetworkError) {
    err(`网络不可用 Network unavailable: ${e.message}`);
    return 2;
  }
  err((e as Error).message ?? String(e));
  return 1;
}
