import { diagnose } from '@scanpay/diagnosis';
import { describe, expect, it } from 'vitest';
import { ScanSession } from './scan-session.ts';

const clock = () => {
  let t = 0;
  return () => (t += 100);
};

describe('a scan session as evidence', () => {
  it('counts defective frames, and most frames too dark reads as “too dark”', () => {
    const s = new ScanSession('camera', { frameWidth: 1280, frameHeight: 720 }, clock());
    for (let i = 0; i < 10; i++) s.frame({ tooDark: i < 8, blur: i === 0 });
    s.read(null);
    const e = s.evidence();
    expect(e).toMatchObject({ kind: 'scan', input: 'camera', frames: 10, tooDark: 8, blur: 1, decodeAttempts: 1, decoded: 0, frameWidth: 1280 });
    expect(e).not.toHaveProperty('glare');
    expect(diagnose([e]).causes[0]?.cause).toBe('operation.too_dark');
  });

  it('classifies what was read as the platform does: a 收款码 is named as such', () => {
    const s = new ScanSession('camera', {}, clock());
    s.read('https://qr.alipay.com/fkx12345abcde');
    s.read('281234567890123456');
    s.read('6901234567892');
    expect(s.evidence()).toMatchObject({ decodeAttempts: 3, decoded: 1, collectionCodes: 1, unknownFormatCodes: 1 });
    expect(diagnose([s.evidence()]).causes[0]?.cause).toBe('operation.collection_code_scanned');
  });

  it('says when the camera could not be used at all', () => {
    const s = new ScanSession('camera', {}, clock());
    s.cameraUnavailable('permission_denied');
    expect(diagnose([s.evidence()]).causes[0]?.cause).toBe('configuration.camera_permission_blocked');
  });
});
