/**
 * The contract between the platform and a payment channel. The platform speaks only these types;
 * every wire name (Alipay's `trade_no`, `sub_code`, `TRADE_SUCCESS` …) stays inside the channel's
 * folder. Amounts are integer fen.
 *
 * A channel answer is one of: a definite business result, or `unknown` — the channel may or may
 * not have acted (timeout, network error, system error, a response that does not verify). The
 * platform never stores `unknown` as a state: it keeps the payment where it was and resolves it by
 * query, then cancel.
 */
import type { ErrorCode } from '@scanpay/errors';
import type { Secret } from '@scanpay/contracts';

export type ChannelId = 'alipay';

/** What the cashier should do after a definite refusal (protocol brief §3.2 "Act"). */
export type CashierAction =
  | 'rescan' // ask the customer to refresh the code; a new attempt with a new order number
  | 'other_method' // the customer should pay another way or with another account
  | 'stop' // configuration or account problem: stop and call the operator
  | 'contact_channel' // the merchant must contact the channel (frozen, limits)
  | 'new_order'; // order-number conflict: start again with a new order number

/** A definite refusal, mapped once in the channel's error map. */
export interface ChannelDecline {
  code: ErrorCode; // a CHN_* catalogue code
  cause: string; // diagnosis cause id (may be finer than the catalogue code's)
  action: CashierAction;
  rawCode: string; // the channel's own code, kept for support ("40004")
  rawSubCode?: string; // e.g. "ACQ.PAYMENT_AUTH_CODE_INVALID"
  rawMessage?: string;
}

export type UnknownReason =
  | 'timeout'
  | 'network' // connection refused/reset, DNS, TLS
  | 'system_error' // the channel said it does not know (Alipay 20000, ACQ.SYSTEM_ERROR)
  | 'bad_signature' // the answer did not verify: treat as unheard
  | 'unparsable'
  | 'http_status'; // 5xx or another non-200 status

export interface ChannelUnknown {
  kind: 'unknown';
  reason: UnknownReason;
  detail: string; // English, for logs; never secrets
  /** True when we know the request never left this process (nothing can have happened). */
  notSent?: boolean;
}

/** Who the money goes to, as the channel knows them. */
export interface ChannelMerchant {
  /** Service-provider mode: the merchant's authorisation token (Alipay app_auth_token). */
  authToken?: Secret<string>;
  /** The seller account we expect the channel to report (Alipay seller_id, 2088…). */
  sellerId?: string;
}

export interface PayRequest {
  outTradeNo: string;
  authCode: Secret<string>;
  amountFen: number;
  subject: string;
  storeId?: string;
  terminalId?: string;
  operatorId?: string;
  notifyUrl?: string;
  /** How long the buyer may take to confirm, in minutes. */
  timeoutMinutes?: number;
  merchant: ChannelMerchant;
}

export interface PaidTrade {
  tradeNo: string;
  amountFen: number; // what the channel says was paid: the platform checks it against its record
  buyerId?: string;
  buyerLogonId?: string; // already masked by the channel
  paidAt?: Date;
}

export type PayResult =
  | ({ kind: 'succeeded' } & PaidTrade)
  | { kind: 'waiting_buyer'; tradeNo?: string }
  | { kind: 'declined'; decline: ChannelDecline }
  | ChannelUnknown;

export interface TradeRef {
  outTradeNo: string;
  merchant: ChannelMerchant;
}

export type QueryResult =
  | ({ kind: 'paid'; refundable: boolean } & PaidTrade)
  | { kind: 'waiting_buyer'; tradeNo?: string }
  | { kind: 'closed'; tradeNo?: string; refundedFen?: number } // unpaid and closed, or fully refunded
  | { kind: 'not_found' }
  | { kind: 'declined'; decline: ChannelDecline } // the query itself was refused (configuration)
  | ChannelUnknown;

export type CancelResult =
  /** `closed`: nothing was charged. `refunded`: the buyer was charged and is being paid back.
   *  `none`: the channel had no such trade (the pay never arrived) and will refuse it from now on. */
  | { kind: 'cancelled'; effect: 'closed' | 'refunded' | 'none'; tradeNo?: string }
  | { kind: 'retry'; detail: string } // the channel asked us to call cancel again
  | { kind: 'declined'; decline: ChannelDecline } // e.g. outside the cancel window
  | ChannelUnknown;

export interface RefundRequest extends TradeRef {
  outRequestNo: string;
  amountFen: number;
  reason?: string;
}

export type RefundResult =
  | { kind: 'refunded'; refundedTotalFen: number; at?: Date }
  | { kind: 'pending'; detail: string } // accepted but money movement not confirmed yet: query it
  | { kind: 'declined'; decline: ChannelDecline }
  | ChannelUnknown;

export type RefundQueryResult =
  | { kind: 'refunded'; amountFen: number }
  | { kind: 'not_found' }
  | { kind: 'declined'; decline: ChannelDecline }
  | ChannelUnknown;

/** A channel's asynchronous notification, after its signature and origin have been verified. */
export interface VerifiedNotification {
  outTradeNo: string;
  tradeNo: string;
  status: 'paid' | 'closed' | 'finished' | 'waiting_buyer';
  amountFen: number;
  refundedFen?: number;
  appId: string;
  sellerId?: string;
  notifyId: string;
  at?: Date;
}

export type NotificationCheck =
  | { ok: true; notification: VerifiedNotification }
  | { ok: false; reason: 'missing_signature' | 'bad_signature' | 'wrong_app' | 'malformed'; detail: string };

/** A merchant-presented QR order (Alipay precreate): the buyer scans the code we show. */
export interface PrecreateRequest {
  outTradeNo: string;
  amountFen: number;
  subject: string;
  storeId?: string;
  terminalId?: string;
  operatorId?: string;
  notifyUrl?: string;
  timeoutMinutes?: number;
  merchant: ChannelMerchant;
}

export type PrecreateResult =
  | { kind: 'created'; qrCode: string } // show it as a QR; the trade exists only once scanned
  | { kind: 'declined'; decline: ChannelDecline }
  | ChannelUnknown;

export type CloseResult =
  | { kind: 'closed'; tradeNo?: string }
  | { kind: 'not_found' } // never scanned / never created (a precreate order may still be blocked)
  | { kind: 'declined'; decline: ChannelDecline } // e.g. already paid: use cancel or refund
  | ChannelUnknown;

export interface BillRequest {
  /** `trade` (business bill) or `funds` (account fund flow). */
  type: 'trade' | 'funds';
  /** A day `2026-11-27` or a month `2026-11`, in Beijing time. */
  period: string;
  merchant: ChannelMerchant;
}

export type BillUrlResult =
  | { kind: 'ready'; url: string } // short-lived download URL
  | { kind: 'not_found' } // no bill (yet) for that period
  | { kind: 'declined'; decline: ChannelDecline }
  | ChannelUnknown;

export interface Channel {
  readonly id: ChannelId;
  pay(req: PayRequest): Promise<PayResult>;
  query(ref: TradeRef): Promise<QueryResult>;
  cancel(ref: TradeRef): Promise<CancelResult>;
  refund(req: RefundRequest): Promise<RefundResult>;
  refundQuery(req: RefundRequest): Promise<RefundQueryResult>;
  /** Verifies a notification body exactly as received (already form-decoded once). */
  verifyNotification(params: Record<string, string>): NotificationCheck;
  /** The exact body the channel expects when a notification has been durably handled. */
  readonly notificationAck: string;
  /** Optional capabilities (Alipay has them all). */
  precreate?(req: PrecreateRequest): Promise<PrecreateResult>;
  /** Closes an unpaid trade; for barcode recovery use `cancel`, which also refunds a paid one. */
  close?(ref: TradeRef): Promise<CloseResult>;
  billDownloadUrl?(req: BillRequest): Promise<BillUrlResult>;
}
