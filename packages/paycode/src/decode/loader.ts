/**
 * The one place where the browser and Node differ: how the two `.wasm` files are found.
 * Browser (page or Web Worker): the caller passes URLs served by our own server, because zxing-wasm's
 * default points at a CDN and a terminal may have no internet. Node: the bundled files are read from
 * node_modules. Nothing here ever fetches from another host.
 */
import { prepareZXingModule, type ZXingReaderModule } from 'zxing-wasm/reader';
import { getInstance, setModuleArgs } from '@undecaf/zbar-wasm';

export interface WasmSources {
  /** URL of `zxing-wasm/dist/reader/zxing_reader.wasm`, served locally (browser). */
  zxingWasmUrl?: string;
  /** URL of `@undecaf/zbar-wasm/dist/zbar.wasm`, served locally (browser). */
  zbarWasmUrl?: string;
  /** The wasm bytes themselves, when the caller already has them (either runtime). */
  zxingWasmBinary?: ArrayBuffer | Uint8Array;
  zbarWasmBinary?: ArrayBuffer | Uint8Array;
}

export interface LoadedWasm {
  zxing: ZXingReaderModule;
  /** zbar-wasm keeps its module internally; this resolves once it is instantiated. */
  zbarReady: true;
}

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

async function readPackagedFile(specifier: string): Promise<Uint8Array> {
  // Hidden from bundlers: this branch only ever runs under Node.
  const { createRequire } = await import(/* @vite-ignore */ 'node:module');
  const { readFile } = await import(/* @vite-ignore */ 'node:fs/promises');
  const require = createRequire(import.meta.url);
  return new Uint8Array(await readFile(require.resolve(specifier)));
}

function wasmFile(url: string): (path: string, prefix: string) => string {
  return (path, prefix) => (path.endsWith('.wasm') ? url : prefix + path);
}

let loading: Promise<LoadedWasm> | undefined;

/** Instantiates both decoders once per realm (page, worker or Node process). */
export function loadWasm(sources: WasmSources = {}): Promise<LoadedWasm> {
  loading ??= instantiate(sources).catch((error: unknown) => {
    loading = undefined; // let a later call retry, e.g. after the server came up
    throw error;
  });
  return loading;
}

async function instantiate(sources: WasmSources): Promise<LoadedWasm> {
  let zxingBinary = sources.zxingWasmBinary;
  let zbarBinary = sources.zbarWasmBinary;
  if (isNode) {
    zxingBinary ??= await readPackagedFile('zxing-wasm/reader/zxing_reader.wasm');
    zbarBinary ??= await readPackagedFile('@undecaf/zbar-wasm/dist/zbar.wasm');
  } else if ((!zxingBinary && !sources.zxingWasmUrl) || (!zbarBinary && !sources.zbarWasmUrl)) {
    throw new Error('loadWasm: in the browser pass zxingWasmUrl and zbarWasmUrl served by our own host');
  }
  const zxingOverrides = zxingBinary
    ? { wasmBinary: toArrayBuffer(zxingBinary) }
    : { locateFile: wasmFile(sources.zxingWasmUrl as string) };
  const zbarArgs = zbarBinary
    ? { wasmBinary: toArrayBuffer(zbarBinary) }
    : { locateFile: wasmFile(sources.zbarWasmUrl as string) };
  // zbar-wasm's type only declares locateFile, but its Emscripten module honours wasmBinary too.
  setModuleArgs(zbarArgs as Parameters<typeof setModuleArgs>[0]);
  const [zxing] = await Promise.all([
    prepareZXingModule({ overrides: zxingOverrides, fireImmediately: true }),
    getInstance(),
  ]);
  return { zxing, zbarReady: true };
}

function toArrayBuffer(bytes: ArrayBuffer | Uint8Array): ArrayBuffer {
  if (bytes instanceof ArrayBuffer) return bytes;
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
