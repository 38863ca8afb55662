import type { Queryable } from '../../db/index.ts';

export interface MerchantRow {
  id: string;
  name: string;
  status: 'active' | 'frozen' | 'under_review' | 'closed';
  channel_seller_id: string | null;
  channel_auth_token: string | null;
}

export interface StoreRow {
  id: string;
  merchant_id: string;
  name: string;
}

export const MERCHANT_COLUMNS = 'id, name, status, channel_seller_id, channel_auth_token';

export async function findMerchant(db: Queryable, id: string): Promise<MerchantRow | undefined> {
  const r = await db.query<MerchantRow>(
    `select ${MERCHANT_COLUMNS} from merchants where id = $1`,
    [id],
  );
  return r.rows[0];
}

export async function findStore(db: Queryable, id: string): Promise<StoreRow | undefined> {
  const r = await db.query<StoreRow>('select id, merchant_id, name from stores where id = $1', [id]);
  return r.rows[0];
}

export async function insertMerchant(
  db: Queryable,
  m: { id: string; name: string; channelSellerId?: string },
): Promise<void> {
  await db.query('insert into merchants (id, name, channel_seller_id) values ($1, $2, $3)', [
    m.id,
    m.name,
    m.channelSellerId ?? null,
  ]);
}

export async function insertStore(db: Queryable, s: { id: string; merchantId: string; name: string }): Promise<void> {
  await db.query('insert into stores (id, merchant_id, name) values ($1, $2, $3)', [s.id, s.merchantId, s.name]);
}

export async function setMerchantStatus(db: Queryable, id: string, status: MerchantRow['status']): Promise<void> {
  await db.query('update merchants set status = $2 where id = $1', [id, status]);
}
