/** Display helpers shared by the screens. */
import type { Payment } from '@scanpay/contracts';
import { TEXT, type Text } from './i18n.tsx';

export function statusText(p: Pick<Payment, 'status'>): Text {
  switch (p.status) {
    case 'succeeded':
      return TEXT.statusSucceeded;
    case 'failed':
      return TEXT.statusFailed;
    case 'cancelled':
      return TEXT.statusCancelled;
    case 'reversed':
      return TEXT.statusReversed;
    case 'refunded':
      return TEXT.statusRefunded;
    case 'partially_refunded':
      return TEXT.statusPartRefunded;
    default:
      return TEXT.statusPending;
  }
}

export function statusTone(p: Pick<Payment, 'status'>): 'ok' | 'bad' | 'warn' | 'muted' {
  if (p.status === 'succeeded') return 'ok';
  if (p.status === 'failed') return 'bad';
  if (p.status === 'processing' || p.status === 'waiting_buyer') return 'warn';
  return 'muted';
}

export function channelText(channel: string): Text {
  return channel === 'alipay' ? { zh: '支付宝', en: 'Alipay' } : { zh: channel, en: channel };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Local date and time, "2026-11-28 14:03:09". */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function timeOnly(iso: string): string {
  const d = new Date(iso);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
