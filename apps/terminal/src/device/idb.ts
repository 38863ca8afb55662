/**
 * A tiny key-value store over IndexedDB: one database, one object store. IndexedDB (not
 * localStorage) because it keeps a CryptoKey as it is, so the device's private key stays
 * non-extractable: the page can sign with it but never read it.
 */
export interface Kv {
  get<T>(key: string): Promise<T | undefined>;
  put(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
  close(): void;
}

const STORE = 'kv';

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

export async function openKv(name = 'scanpay-terminal', factory: IDBFactory = globalThis.indexedDB): Promise<Kv> {
  if (!factory) throw new Error('IndexedDB is not available in this browser');
  const open = factory.open(name, 1);
  open.onupgradeneeded = () => {
    if (!open.result.objectStoreNames.contains(STORE)) open.result.createObjectStore(STORE);
  };
  const db = await done(open);
  return {
    async get<T>(key: string) {
      const tx = db.transaction(STORE, 'readonly');
      return (await done(tx.objectStore(STORE).get(key))) as T | undefined;
    },
    async put(key, value) {
      const tx = db.transaction(STORE, 'readwrite');
      tx.objectStore(STORE).put(value, key);
      // Resolved only once the write is durable in the transaction's sense: a reload after this keeps it.
      await committed(tx);
    },
    async delete(key) {
      const tx = db.transaction(STORE, 'readwrite');
      tx.objectStore(STORE).delete(key);
      await committed(tx);
    },
    close: () => db.close(),
  };
}
