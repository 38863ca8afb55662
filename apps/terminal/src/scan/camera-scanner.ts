/**
 * Continuous decoding of the camera: one frame at a time is cropped to the scan region as an
 * ImageBitmap, transferred to the module worker (decode-worker.ts) and read there with the
 * decoders of @scanpay/paycode, whose .wasm files are bundled into our own dist/ (never a CDN).
 * The page thread only grabs frames, so the keypad and the scanner gun stay responsive.
 */
import zbarWasmUrl from '@undecaf/zbar-wasm/dist/zbar.wasm?url';
import zxingWasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';
import type { Text } from '../i18n.tsx';
import { regionInPixels, type ScanProfile } from './profile.ts';
import type { FromWorker, ToWorker } from './worker-protocol.ts';

export interface CameraScannerEvents {
  onText: (text: string) => void;
  onHint: (hint: Text | null) => void;
  /** Every analysed frame: what was read (or null) and what was wrong with it. */
  onFrame?: (text: string | null, defects: string[], size: { width: number; height: number }) => void;
  onDecoderProblem: (message: string) => void;
}

export interface CameraScanner {
  stop(): void;
  /** Frames decoded so far and the last decode time, for the settings page and tests. */
  stats(): { frames: number; lastMs: number };
}

/** Frames stuck in the worker this long are given up, so a frozen camera never stalls the loop. */
const FRAME_TIMEOUT_MS = 3000;

export function startCameraScanner(video: HTMLVideoElement, profile: ScanProfile, events: CameraScannerEvents): CameraScanner {
  const worker = new Worker(new URL('./decode-worker.ts', import.meta.url), { type: 'module', name: 'scanpay-decoder' });
  const post = (msg: ToWorker, transfer: Transferable[] = []) => worker.postMessage(msg, transfer);
  let stopped = false;
  let ready = false;
  let inFlight: { id: number; at: number } | null = null;
  let nextId = 1;
  let frames = 0;
  let lastMs = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  worker.onmessage = (e: MessageEvent<FromWorker>) => {
    const msg = e.data;
    if (msg.type === 'ready') {
      ready = true;
      schedule(0);
    } else if (msg.type === 'failed') {
      events.onDecoderProblem(msg.message);
    } else if (msg.type === 'result' && inFlight?.id === msg.id) {
      inFlight = null;
      frames++;
      lastMs = msg.ms;
      events.onFrame?.(msg.text, msg.defects, { width: video.videoWidth, height: video.videoHeight });
      if (msg.text) events.onText(msg.text);
      events.onHint(msg.hint);
      schedule(profile.frameIntervalMs);
    }
  };
  worker.onerror = (e) => events.onDecoderProblem(e.message || 'the decoder worker failed to start');
  post({ type: 'init', wasm: { zxingWasmUrl: new URL(zxingWasmUrl, location.href).href, zbarWasmUrl: new URL(zbarWasmUrl, location.href).href } });

  function schedule(ms: number) {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void grab(), ms);
  }

  async function grab() {
    if (stopped || !ready) return;
    if (inFlight && performance.now() - inFlight.at < FRAME_TIMEOUT_MS) return schedule(50);
    const w = video.videoWidth;
    const h = video.videoHeight;
    if (video.readyState < 2 || w === 0 || h === 0) return schedule(100);
    const r = regionInPixels(profile.region, w, h);
    try {
      const bitmap = await createImageBitmap(video, r.x, r.y, r.width, r.height);
      if (stopped) return bitmap.close();
      const id = nextId++;
      inFlight = { id, at: performance.now() };
      post({ type: 'frame', id, bitmap }, [bitmap]);
      schedule(FRAME_TIMEOUT_MS);
    } catch {
      schedule(200); // the video had no frame to give yet
    }
  }

  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      worker.terminate();
    },
    stats: () => ({ frames, lastMs }),
  };
}
