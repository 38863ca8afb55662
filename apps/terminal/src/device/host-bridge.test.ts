import { describe, expect, it } from 'vitest';
import { serialFromHost } from './host-bridge.ts';

describe('the device serial from a host app bridge', () => {
  it('reads ScanpayHost first, then the NativeApp pattern, trimmed', () => {
    expect(serialFromHost({ ScanpayHost: { getSerial: () => ' SN-1 ' }, NativeApp: { getSerialNumber: () => 'SN-2' } })).toBe('SN-1');
    expect(serialFromHost({ NativeApp: { getSerialNumber: () => 'V2PRO-889' } })).toBe('V2PRO-889');
  });

  it('treats no bridge, an empty answer, an absurd one or a throwing bridge as none', () => {
    expect(serialFromHost({})).toBeNull();
    expect(serialFromHost({ ScanpayHost: { getSerial: () => '' } })).toBeNull();
    expect(serialFromHost({ ScanpayHost: { getSerial: () => 'x'.repeat(65) } })).toBeNull();
    expect(serialFromHost({ ScanpayHost: { getSerial: () => { throw new Error('bridge down'); } } })).toBeNull();
  });
});
