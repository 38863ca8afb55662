import { describe, expect, it } from 'vitest';
import { createWorkerHandler, type WorkerReply, type WorkerRequest } from './worker.ts';
import { createScanWorkerClient, type WorkerLike } from './worker-client.ts';
import { qrImage } from './test-images.ts';

/** A worker in this thread: messages are structured-cloned both ways, as postMessage does. */
function fakeWorker(): WorkerLike {
  const listeners: ((event: { data: WorkerReply }) => void)[] = [];
  const handle = createWorkerHandler((reply) => queueMicrotask(() => listeners.forEach((l) => l({ data: structuredClone(reply) }))));
  let queue = Promise.resolve();
  return {
    postMessage: (message) => {
      const request = structuredClone(message) as WorkerRequest;
      queue = queue.then(() => handle(request));
    },
    addEventListener: (_type, listener) => listeners.push(listener),
  };
}

describe('scan worker (handler and client)', () => {
  it('loads, scans frames, coaches on unread ones and reports evidence', async () => {
    const client = createScanWorkerClient(fakeWorker(), {}); // Node: the bundled wasm files
    await client.ready;
    const empty = { data: new Uint8ClampedArray(320 * 240 * 4).fill(15), width: 320, height: 240 };
    const unread = await client.scanFrame(empty);
    expect(unread.code).toBeNull();
    expect(unread.quality?.defects).toContain('no_code');
    expect(unread.hint?.id).toBe('too_dark');

    const frame = qrImage('281234567890123456', { modulePx: 4, width: 320, height: 240 });
    const pending = client.scanFrame(frame);
    expect(client.busy).toBe(true);
    expect((await pending).code?.payload).toBe('281234567890123456');
    expect(client.busy).toBe(false);

    const evidence = await client.evidence();
    expect(evidence).toMatchObject({ totalFrames: 1, dominantDefect: 'too_dark' });
    expect(evidence.decoder.cheapPasses).toBe(2);
    await client.reset();
    expect((await client.evidence()).decoder.frames).toBe(0);
  });

  it('answers an error, not a crash, to a frame before init', async () => {
    const replies: WorkerReply[] = [];
    const handle = createWorkerHandler((r) => replies.push(r));
    await handle({ type: 'evidence', id: 7 });
    expect(replies).toEqual([{ id: 7, ok: false, error: 'scan worker: send init first' }]);
  });
});
