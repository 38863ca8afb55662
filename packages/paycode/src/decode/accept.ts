/**
 * What counts as a read. A payload is returned only if it is what the code encodes: each decoder's
 * own checks first, then rules for the places where zbar is known to be unreliable, then a
 * cross-check when two reads of the same spot disagree.
 */
import type { DecodedCode, Point, RawRead } from './types.ts';

export interface Verdict {
  accepted: DecodedCode[];
  /** Reads that may well be right but need a second, independent read first. */
  unconfirmed: RawRead[];
  /** Reads thrown away: disagreements at one spot, and zbar text it cannot be trusted with. */
  rejected: number;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/**
 * zbar guesses the character set of non-ASCII QR text (Shift_JIS read as GB2312) and mishandles Code 128
 * FNC4 characters; zxing gets both right. So zbar text outside printable ASCII is never trusted alone.
 * zbar Code 128 also lacks zxing's "two scan lines must agree" rule: it needs a second read.
 */
function zbarTrust(read: RawRead): 'ok' | 'confirm' | 'reject' {
  if (!PRINTABLE_ASCII.test(read.text)) return 'reject';
  if (read.format === 'code128') return 'confirm';
  return 'ok';
}

function box(corners: Point[]): { x0: number; y0: number; x1: number; y1: number } {
  const xs = corners.map((p) => p.x);
  const ys = corners.map((p) => p.y);
  return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}

/** Same spot: the bounding boxes overlap (with a little slack for zbar's scan-point boxes). */
export function samePlace(a: Point[], b: Point[]): boolean {
  if (a.length === 0 || b.length === 0) return true;
  const p = box(a);
  const q = box(b);
  const slack = 0.15 * Math.max(p.x1 - p.x0, p.y1 - p.y0, q.x1 - q.x0, q.y1 - q.y0);
  return p.x0 - slack <= q.x1 && q.x0 - slack <= p.x1 && p.y0 - slack <= q.y1 && q.y0 - slack <= p.y1;
}

/**
 * Two QR symbols, one printed inside the other (a "double QR"): the inner one's box lies within the
 * outer's and covers well under half of it. Two reads of one symbol have boxes of about the same size.
 * Only QR: both decoders report a QR's own corners, while zbar's box of a barcode is its scan line.
 */
export function nested(a: RawRead, b: RawRead): boolean {
  if (a.format !== 'qr' || b.format !== 'qr') return false;
  const p = box(a.corners);
  const q = box(b.corners);
  const area = (r: typeof p): number => (r.x1 - r.x0) * (r.y1 - r.y0);
  const [inner, outer] = area(p) <= area(q) ? [p, q] : [q, p];
  const slack = 0.02 * Math.max(outer.x1 - outer.x0, outer.y1 - outer.y0);
  const inside = inner.x0 >= outer.x0 - slack && inner.y0 >= outer.y0 - slack && inner.x1 <= outer.x1 + slack && inner.y1 <= outer.y1 + slack;
  return inside && area(inner) < 0.4 * area(outer);
}

/**
 * Judges all reads of one frame (or one still image). `confirmed` holds texts already read
 * independently before (an earlier frame or variant), which settles a zbar Code 128 read.
 */
export function judge(reads: RawRead[], variant: string, confirmed: ReadonlySet<string> = new Set()): Verdict {
  const verdict: Verdict = { accepted: [], unconfirmed: [], rejected: 0 };
  const candidates = reads.filter((r) => {
    if (r.decoder !== 'zbar') return true;
    const zxingAgrees = reads.some((o) => o.decoder === 'zxing' && o.text === r.text && o.format === r.format);
    if (zxingAgrees || zbarTrust(r) !== 'reject') return true;
    verdict.rejected++;
    return false;
  });
  // Two different payloads of one format at one spot: one of them is wrong, and we cannot tell which.
  const conflicted = new Set<RawRead>();
  for (const a of candidates) {
    for (const b of candidates) {
      if (a !== b && a.format === b.format && a.text !== b.text && samePlace(a.corners, b.corners) && !nested(a, b)) conflicted.add(a);
    }
  }
  verdict.rejected += conflicted.size;
  const byText = new Map<string, RawRead[]>();
  for (const r of candidates) {
    if (conflicted.has(r)) continue;
    const key = `${r.format}:${r.text}`;
    byText.set(key, [...(byText.get(key) ?? []), r]);
  }
  for (const [key, group] of byText) {
    const decoders = [...new Set(group.map((r) => r.decoder))];
    const needsConfirmation = decoders.length === 1 && decoders[0] === 'zbar' && group.some((r) => zbarTrust(r) === 'confirm');
    if (needsConfirmation && !confirmed.has(key)) {
      verdict.unconfirmed.push(group[0]!);
      continue;
    }
    const first = group[0]!;
    verdict.accepted.push({ format: first.format, payload: first.text, decoders, variant, corners: first.corners });
  }
  return verdict;
}

export function readKey(read: Pick<RawRead, 'format' | 'text'>): string {
  return `${read.format}:${read.text}`;
}
