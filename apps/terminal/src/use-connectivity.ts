/**
 * Whether charging is possible: the browser says it is online AND the platform answered lately.
 * After a request got no answer, /health is asked every few seconds until it answers again, so the
 * banner "网络异常，暂停收款" also goes away by itself (UX.md §2 step 14).
 */
import { useCallback, useEffect, useState } from 'react';

const RECHECK_MS = 3000;

export function useConnectivity(baseUrl: string): { online: boolean; setReachable: (r: boolean) => void } {
  const [browserOnline, setBrowserOnline] = useState(() => globalThis.navigator?.onLine ?? true);
  const [reachable, setReachableState] = useState(true);

  useEffect(() => {
    const up = () => setBrowserOnline(true);
    const down = () => setBrowserOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, []);

  useEffect(() => {
    if (reachable || !browserOnline) return;
    const timer = setInterval(() => {
      fetch(new URL('/health', baseUrl), { cache: 'no-store', signal: AbortSignal.timeout(2500) })
        .then((res) => {
          if (res.ok) setReachableState(true);
        })
        .catch(() => {});
    }, RECHECK_MS);
    return () => clearInterval(timer);
  }, [reachable, browserOnline, baseUrl]);

  const setReachable = useCallback((r: boolean) => setReachableState(r), []);
  return { online: browserOnline && reachable, setReachable };
}
