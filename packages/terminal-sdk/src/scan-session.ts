/**
 * One scan session summarised as `ScanEvidence`: the app reports each analysed frame's defects
 * (from the frame analysis) and each thing the decoder read; the session counts them, and the
 * classification of what was read (payment code, 收款码, something else) is the same one the
 * platform applies. A failure screen then diagnoses "too dark", "glare" or "that is a 收款码"
 * from the session itself.
 */
import type { ScanEvidence } from '@scanpay/diagnosis';
import { classifyScannedText } from '@scanpay/paycode';

/** What the frame analysis found wrong with one frame. */
export interface FrameDefects {
  tooDark?: boolean;
  glare?: boolean;
  blur?: boolean;
  tooSmall?: boolean;
  tilt?: boolean;
  partlyOutOfView?: boolean;
}

const DEFECTS = ['tooDark', 'glare', 'blur', 'tooSmall', 'tilt', 'partlyOutOfView'] as const;

export class ScanSession {
  private readonly started: number;
  private frames = 0;
  private readonly defects: Record<(typeof DEFECTS)[number], number> = { tooDark: 0, glare: 0, blur: 0, tooSmall: 0, tilt: 0, partlyOutOfView: 0 };
  private attempts = 0;
  private decoded = 0;
  private collectionCodes = 0;
  private nonPaymentCodes = 0;
  private unknownFormatCodes = 0;
  private permissionDenied = false;
  private noCamera = false;

  constructor(
    private readonly input: ScanEvidence['input'],
    private readonly setup: Pick<ScanEvidence, 'frameWidth' | 'frameHeight' | 'profile'> = {},
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
  }

  /** One analysed frame. */
  frame(defects: FrameDefects): void {
    this.frames++;
    for (const d of DEFECTS) if (defects[d]) this.defects[d]++;
  }

  /** One decode attempt: the text read, or null when nothing was read. */
  read(text: string | null): void {
    this.attempts++;
    if (text === null) return;
    const c = classifyScannedText(text);
    if (c.kind === 'payment_code') this.decoded++;
    else if (c.kind === 'collection_code') this.collectionCodes++;
    else if (c.kind === 'unknown_format') this.unknownFormatCodes++;
    else if (c.kind === 'not_payment_code') this.nonPaymentCodes++;
  }

  cameraUnavailable(reason: 'permission_denied' | 'no_camera'): void {
    if (reason === 'permission_denied') this.permissionDenied = true;
    else this.noCamera = true;
  }

  evidence(): ScanEvidence {
    const counts = Object.fromEntries(DEFECTS.filter((d) => this.defects[d] > 0).map((d) => [d, this.defects[d]]));
    return {
      kind: 'scan',
      input: this.input,
      durationMs: Math.round(this.now() - this.started),
      frames: this.frames,
      ...counts,
      decodeAttempts: this.attempts,
      decoded: this.decoded,
      collectionCodes: this.collectionCodes,
      nonPaymentCodes: this.nonPaymentCodes,
      unknownFormatCodes: this.unknownFormatCodes,
      ...(this.permissionDenied ? { cameraPermissionDenied: true } : {}),
      ...(this.noCamera ? { noCamera: true } : {}),
      ...this.setup,
      origin: 'terminal',
      at: new Date().toISOString(),
    };
  }
}
