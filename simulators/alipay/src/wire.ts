// Wire helpers: Beijing timestamps, yuan strings and the compact signed JSON envelope.

const BEIJING_OFFSET_MS = 8 * 3600_000;

/** `yyyy-MM-dd HH:mm:ss` in Beijing time (UTC+8), the only format the gateway accepts. */
export function beijingTime(ms: number): string {
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

export function beijingDate(ms: number): string {
  return beijingTime(ms).slice(0, 10);
}

export function beijingCompactDate(ms: number): string {
  return beijingDate(ms).replaceAll('-', '');
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** Strict parse of a Beijing `yyyy-MM-dd HH:mm:ss`; undefined when malformed or not a real date. */
export function parseBeijingTime(text: string): number | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(utc);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  return utc - BEIJING_OFFSET_MS;
}

export function parseBeijingDate(text: string): number | undefined {
  return parseBeijingTime(`${text} 00:00:00`);
}

const YUAN = /^(0|[1-9]\d{0,9})(\.\d{1,2})?$/;
export const MAX_AMOUNT_FEN = 100_000_000 * 100;

/** Yuan ("12.34", or a JSON number as some clients send) to integer fen; undefined when malformed. */
export function parseYuan(value: unknown): number | undefined {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string' || !YUAN.test(text)) return undefined;
  const [whole, frac = ''] = text.split('.') as [string, string?];
  return Number(whole) * 100 + Number((frac + '00').slice(0, 2));
}

/** Valid trade amount: [0.01, 100000000] yuan. */
export function parseTradeAmount(value: unknown): number | undefined {
  const fen = parseYuan(value);
  return fen !== undefined && fen >= 1 && fen <= MAX_AMOUNT_FEN ? fen : undefined;
}

export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Compact JSON with every `/` written as `\/`, as Alipay does, so client verifiers meet escapes. */
export function compactJson(value: unknown): string {
  return JSON.stringify(value).replace(/\//g, '\\/');
}

export function responseNodeName(method: string): string {
  return `${method.replaceAll('.', '_')}_response`;
}

/** `{"<node>":<inner>[,"alipay_cert_sn":".."][,"sign":".."]}`, the inner text kept byte for byte. */
export function envelope(node: string, inner: string, sign?: string, certSn?: string): string {
  let body = `{"${node}":${inner}`;
  if (certSn) body += `,"alipay_cert_sn":"${certSn}"`;
  if (sign !== undefined) body += `,"sign":"${sign}"`;
  return `${body}}`;
}
