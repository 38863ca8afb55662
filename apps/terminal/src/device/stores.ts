/**
 * What the terminal keeps on the device, each under one key of the IndexedDB store: its identity
 * (with the non-extractable private key), its serial, the undecided payment and its settings.
 */
import type { PendingPayment, PendingPaymentStore } from '@scanpay/terminal-sdk';
import type { Kv } from './idb.ts';

export interface DeviceRecord {
  terminalId: string;
  serial: string;
  merchant: { id: string; name: string };
  store: { id: string; name: string };
  /** Non-extractable ECDSA P-256 private key: structured-cloned into IndexedDB, never exported. */
  privateKey: CryptoKey;
  activatedAt: string;
}

const KEYS = { device: 'device', serial: 'serial', pending: 'pending-payment', settings: 'settings' } as const;

export async function loadDevice(kv: Kv): Promise<DeviceRecord | null> {
  const record = await kv.get<DeviceRecord>(KEYS.device);
  return record && record.privateKey && record.terminalId ? record : null;
}

export async function saveDevice(kv: Kv, record: DeviceRecord): Promise<void> {
  if (record.privateKey.extractable) throw new Error('refusing to store an extractable device key');
  await kv.put(KEYS.device, record);
}

export async function forgetDevice(kv: Kv): Promise<void> {
  await kv.delete(KEYS.device);
}

export async function loadSerial(kv: Kv): Promise<string | null> {
  return (await kv.get<string>(KEYS.serial)) ?? null;
}

export async function saveSerial(kv: Kv, serial: string): Promise<void> {
  await kv.put(KEYS.serial, serial);
}

/** The SDK's pending-payment store on IndexedDB: the undecided payment survives a reload or a crash. */
export function idbPendingStore(kv: Kv): PendingPaymentStore {
  return {
    load: async () => (await kv.get<PendingPayment>(KEYS.pending)) ?? null,
    save: (p) => kv.put(KEYS.pending, p),
    clear: () => kv.delete(KEYS.pending),
  };
}

export async function loadStored<T extends object>(kv: Kv, defaults: T): Promise<T> {
  const stored = await kv.get<Partial<T>>(KEYS.settings);
  return { ...defaults, ...(stored ?? {}) };
}

export async function saveStored<T extends object>(kv: Kv, value: T): Promise<void> {
  await kv.put(KEYS.settings, value);
}
