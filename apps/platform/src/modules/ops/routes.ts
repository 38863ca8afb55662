import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '@scanpay/errors';
import type { Db } from '../../db/index.ts';
import { newId } from '../../lib/ids.ts';
import { newActivationCode } from '../merchants/seed-demo.ts';
import { findStore } from '../merchants/store.ts';
import { hashActivationCode } from '../terminals/activate.ts';
import { insertTerminal } from '../terminals/store.ts';

/** Operator routes: register terminals, export payments and ledger balances for reconciliation. */
export async function opsRoutes(app: FastifyInstance, opts: { db: Db }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = opts.db;

  r.post(
    '/v1/ops/terminals',
    {
      config: { auth: 'operator' },
      schema: {
        tags: ['operator'],
        summary: 'Register a terminal for a store and issue its one-time activation code',
        body: z.object({ storeId: z.string().optional(), serial: z.string().min(1).max(64).optional() }),
        response: { 200: z.object({ terminalId: z.string(), activationCode: z.string(), storeId: z.string() }) },
      },
    },
    async (request) => {
      const storeId = request.body.storeId ?? (await firstStoreId(db));
      const store = storeId ? await findStore(db, storeId) : undefined;
      if (!store) throw new AppError('REQ_VALIDATION', { param: 'storeId', detail: 'no such store' });
      const terminalId = newId('trm');
      const activationCode = newActivationCode();
      await insertTerminal(db, {
        id: terminalId,
        merchantId: store.merchant_id,
        storeId: store.id,
        ...(request.body.serial ? { serial: request.body.serial } : {}),
        activationCodeHash: hashActivationCode(activationCode),
        activationExpiresAt: new Date(Date.now() + 86_400_000),
      });
      return { terminalId, activationCode, storeId: store.id };
    },
  );

  r.get(
    '/v1/ops/payments',
    {
      config: { auth: 'operator' },
      schema: {
        tags: ['operator'],
        summary: 'All payments in id order, a page at a time (for reconciliation)',
        querystring: z.object({ after: z.string().default(''), limit: z.coerce.number().int().min(1).max(5000).default(1000) }),
      },
    },
    async (request) => {
      const rows = await db.query(
        `select id, out_trade_no as "outTradeNo", status, amount_fen as "amountFen", channel_trade_no as "tradeNo",
           refunded_fen as "refundedFen", terminal_id as "terminalId", idempotency_key as "idempotencyKey",
           created_at as "createdAt", decided_at as "decidedAt"
         from payments where id > $1 order by id limit $2`,
        [request.query.after, request.query.limit],
      );
      return { payments: rows.rows };
    },
  );

  r.get(
    '/v1/ops/ledger',
    { config: { auth: 'operator' }, schema: { tags: ['operator'], summary: 'Ledger balances by account' } },
    async () => {
      const accounts = await db.query<{ account: string; balanceFen: number }>(
        'select account, sum(amount_fen)::bigint as "balanceFen" from ledger_entries group by account order by account',
      );
      const totals = await db.query<{ entries: number; sum: number | null }>(
        'select count(*)::int as entries, sum(amount_fen)::bigint as sum from ledger_entries',
      );
      return { accounts: accounts.rows, entries: totals.rows[0]?.entries ?? 0, sumFen: totals.rows[0]?.sum ?? 0 };
    },
  );

  r.get(
    '/v1/ops/resolution',
    { config: { auth: 'operator' }, schema: { tags: ['operator'], summary: 'Undecided payments and their resolution jobs' } },
    async () => {
      const r2 = await db.query<{ active: number; alerted: number }>(
        `select count(*) filter (where state = 'active')::int as active,
                count(*) filter (where state = 'active' and alerted_at is not null)::int as alerted
         from resolution_jobs`,
      );
      const pending = await db.query<{ n: number }>(
        `select count(*)::int as n from payments where status in ('processing', 'waiting_buyer')`,
      );
      return { activeJobs: r2.rows[0]?.active ?? 0, alerted: r2.rows[0]?.alerted ?? 0, pendingPayments: pending.rows[0]?.n ?? 0 };
    },
  );
}

async function firstStoreId(db: Db): Promise<string | undefined> {
  const r = await db.query<{ id: string }>('select id from stores order by created_at limit 1');
  return r.rows[0]?.id;
}
