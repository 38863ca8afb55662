// The simulator's book. Money is integer fen; times are epoch milliseconds (real time).
import type { SignType } from './crypto.ts';

export type MerchantStatus = 'normal' | 'frozen' | 'closed';

export interface Merchant {
  status: MerchantStatus;
  /** 当面付 (FACE_TO_FACE_PAYMENT) signed; false gives 40006 isv.insufficient-isv-permissions. */
  faceToFaceSigned: boolean;
  /** Contract for barcode pay expired: ACQ.ACCESS_FORBIDDEN. */
  contractExpired: boolean;
  /** App not online: 40006 isv.insufficient-isv-permissions. */
  appOnline: boolean;
  /** Per-receipt collection cap (fen): ACQ.BEYOND_PER_RECEIPT_RESTRICTION above it. */
  perReceiptLimitFen?: number;
  /** Merchant account balance used to fund refunds; undefined = unlimited. */
  balanceFen?: number;
}

export interface App {
  appId: string;
  sellerId: string;
  name: string;
  publicKeyPem: string;
  signType: SignType;
  notifyUrl?: string;
  /** Echo `alipay_cert_sn` in responses (certificate mode). */
  certMode: boolean;
  merchant: Merchant;
  createdAt: number;
}

export interface Buyer {
  buyerId: string;
  logonId: string;
  name: string;
  balanceFen: number;
  passwordThresholdFen: number;
  dailyLimitFen?: number;
  monthlyLimitFen?: number;
  riskFlag: boolean;
  paymentSwitchOff: boolean;
  certifyLevelLow: boolean;
  balancePaymentDisabled: boolean;
  /** Account status forbids paying: ACQ.BUYER_ENABLE_STATUS_FORBID. */
  accountForbidden?: boolean;
  /** Paid totals for the current Beijing day/month, for the limits. */
  spentDay: string;
  spentDayFen: number;
  spentMonth: string;
  spentMonthFen: number;
}

export interface PaymentCode {
  code: string;
  buyerId: string;
  expiresAt: number;
  usedAt?: number;
}

export type TradeStatus = 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED' | 'TRADE_FINISHED';

export interface Refund {
  outRequestNo: string;
  amountFen: number;
  at: number;
  reason?: string;
}

/** Who is behind a trade that looks like nothing to the outside (query says TRADE_NOT_EXIST). */
export type TradeKind = 'trade' | 'tombstone' | 'precreated';

export interface Trade {
  key: string;
  kind: TradeKind;
  appId: string;
  /** The merchant's own app when an ISV acts for it (app_auth_token); else appId. */
  authAppId: string;
  sellerId: string;
  outTradeNo: string;
  tradeNo?: string;
  status: TradeStatus;
  scene: 'bar_code' | 'security_code' | 'precreate' | 'none';
  totalFen: number;
  subject: string;
  body?: string;
  storeId?: string;
  terminalId?: string;
  operatorId?: string;
  buyerId?: string;
  authCode?: string;
  notifyUrl?: string;
  qrCode?: string;
  createdAt: number;
  paidAt?: number;
  closedAt?: number;
  /** Scheduled (real ms): the buyer confirms / the unpaid trade auto-closes. */
  confirmAt?: number;
  autoCloseAt?: number;
  /** A precreate QR stops being payable after this (real ms). */
  qrExpiresAt?: number;
  cancelAction?: 'close' | 'refund';
  refunds: Refund[];
  refundedFen: number;
}

export interface Notification {
  id: string;
  notifyId: string;
  url: string;
  appId: string;
  outTradeNo: string;
  tradeStatus: TradeStatus;
  signType: SignType;
  /** Unsigned fields; notify_time and sign are added at each send. */
  fields: Record<string, string>;
  status: 'pending' | 'held' | 'done' | 'failed' | 'refused';
  attempts: number;
  nextAt: number;
  copies: number;
  createdAt: number;
  lastResult?: string;
  /** Seq within a reorder batch (released in reverse). */
  holdGroup?: string;
}

export interface AppAuthToken {
  token: string;
  appId: string;
  merchantAppId: string;
  merchantSellerId: string;
  expiresAt?: number;
  /** Methods the merchant authorised; absent = all. */
  methods?: string[];
}

export interface Meta {
  seq: number;
  buyerSeq: number;
}

export function tradeKey(sellerId: string, outTradeNo: string): string {
  return `${sellerId}:${outTradeNo}`;
}
