/**
 * Checks at the edge, before anything is signed or sent: a request Alipay would refuse is refused
 * here with a catalogue error, so no trade is half-created (protocol brief §2.1, §2.2).
 */
import { AppError } from '@scanpay/errors';
import { MAX_PAYMENT_FEN, MIN_PAYMENT_FEN } from '@scanpay/money';

const ORDER_NO = /^[A-Za-z0-9_]{1,64}$/;
// The newer trade.pay doc asks to avoid `/ = &` in subject; control characters never belong there.
const SUBJECT_FORBIDDEN = /[/=&\u0000-\u001f\u007f]/;

export function checkAmount(amountFen: number, param: string): void {
  if (!Number.isSafeInteger(amountFen)) {
    throw new AppError('REQ_AMOUNT_INVALID', { param, detail: `${param} must be an integer number of fen` });
  }
  if (amountFen < MIN_PAYMENT_FEN || amountFen > MAX_PAYMENT_FEN) {
    throw new AppError('REQ_AMOUNT_OUT_OF_RANGE', { param, detail: `${param} must be within 1..${MAX_PAYMENT_FEN} fen` });
  }
}

export function checkSubject(subject: string): void {
  if (subject.trim().length === 0 || [...subject].length > 256 || SUBJECT_FORBIDDEN.test(subject)) {
    throw new AppError('REQ_SUBJECT_INVALID', {
      param: 'subject',
      detail: 'subject must be 1–256 characters without / = & or control characters',
    });
  }
}

export function checkOrderNo(value: string, param: string): void {
  if (!ORDER_NO.test(value)) {
    throw new AppError('REQ_VALIDATION', { param, detail: `${param} must be 1–64 letters, digits or _` });
  }
}

/** store_id, terminal_id, operator_id: ≤ 32 printable characters. */
export function checkShortId(value: string | undefined, param: string): void {
  if (value === undefined) return;
  if (!/^[\x21-\x7e]{1,32}$/.test(value)) {
    throw new AppError('REQ_VALIDATION', { param, detail: `${param} must be 1–32 printable ASCII characters` });
  }
}

/**
 * Our rule (Alipay leaves both optional): barcode pay happens at a till, so `pay` needs the store
 * and terminal ids. Alipay's risk control and the merchant's bill group payments by them, and the
 * platform always knows both; a pay without them is a caller bug, refused before it is sent.
 * Precreate (a QR shown by a kiosk or a web page) may omit them.
 */
export function checkTill(req: { storeId?: string | undefined; terminalId?: string | undefined }): void {
  for (const param of ['storeId', 'terminalId'] as const) {
    if (req[param] === undefined) {
      throw new AppError('REQ_VALIDATION', { param, detail: `${param} is required for barcode pay (1–32 printable ASCII characters)` });
    }
  }
}

/** Alipay codes are 16–24 digits today, face pay `fp` + 33; the field allows up to 64. */
export function checkAuthCode(code: string): void {
  if (!/^[A-Za-z0-9]{1,64}$/.test(code)) {
    throw new AppError('REQ_VALIDATION', { param: 'authCode', detail: 'authCode must be 1–64 letters or digits' });
  }
}

/** timeout_express allows 1m–15d; we speak whole minutes. */
export function checkTimeoutMinutes(minutes: number | undefined): void {
  if (minutes === undefined) return;
  if (!Number.isSafeInteger(minutes) || minutes < 1 || minutes > 15 * 24 * 60) {
    throw new AppError('REQ_VALIDATION', { param: 'timeoutMinutes', detail: 'timeoutMinutes must be 1–21600' });
  }
}

export function checkNotifyUrl(url: string | undefined): void {
  if (url === undefined || url === lastGoodNotifyUrl) return;
  let ok = url.length <= 256;
  try {
    ok &&= ['http:', 'https:'].includes(new URL(url).protocol);
  } catch {
    ok = false;
  }
  if (!ok) throw new AppError('REQ_VALIDATION', { param: 'notifyUrl', detail: 'notifyUrl must be an http(s) URL of ≤ 256 characters' });
  lastGoodNotifyUrl = url;
}
// A platform sends the same notify URL with every call: parsed once, not per call.
let lastGoodNotifyUrl: string | undefined;

export function checkText(value: string | undefined, param: string, max: number): void {
  if (value === undefined) return;
  if ([...value].length > max || /[\u0000-\u001f\u007f]/.test(value)) {
    throw new AppError('REQ_VALIDATION', { param, detail: `${param} must be ≤ ${max} characters without control characters` });
  }
}

export function checkBillType(type: string): void {
  if (type !== 'trade' && type !== 'funds') throw new AppError('REQ_VALIDATION', { param: 'type', detail: 'type must be trade or funds' });
}

export function checkBillPeriod(period: string): void {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(period);
  const month = /^(\d{4})-(\d{2})$/.exec(period);
  const m = day ?? month;
  const valid =
    m !== null &&
    Number(m[2]) >= 1 &&
    Number(m[2]) <= 12 &&
    (day === null || new Date(`${period}T00:00:00Z`).getUTCDate() === Number(day[3]));
  if (!valid) throw new AppError('REQ_VALIDATION', { param: 'period', detail: 'period must be yyyy-MM-dd or yyyy-MM' });
}
