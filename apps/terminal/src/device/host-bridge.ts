/**
 * A POS that runs this page in its own WebView can give the device serial through a JavaScript
 * bridge (the `window.NativeApp.*` pattern of Sunmi/PAX integrations, UX.md §4). We look for
 * `window.ScanpayHost.getSerial()` first, then the common `window.NativeApp.getSerialNumber()`.
 * Without a bridge the cashier types the serial once and it is kept in IndexedDB.
 */
interface HostBridge {
  getSerial?: () => string | null | undefined;
  getSerialNumber?: () => string | null | undefined;
}

export function serialFromHost(win: object = globalThis): string | null {
  const w = win as { ScanpayHost?: HostBridge; NativeApp?: HostBridge };
  try {
    const serial = w.ScanpayHost?.getSerial?.() ?? w.NativeApp?.getSerialNumber?.() ?? null;
    const trimmed = typeof serial === 'string' ? serial.trim() : '';
    return trimmed.length > 0 && trimmed.length <= 64 ? trimmed : null;
  } catch {
    return null; // a broken bridge is the same as none: the cashier types the serial
  }
}
