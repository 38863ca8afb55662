/**
 * How a terminal signs its requests (ECDSA P-256 over SHA-256, the signature in IEEE P1363 r||s
 * form as WebCrypto produces it, base64). The string covers who, what and when, so a captured
 * request cannot be replayed later, sent to another path or given another body:
 *
 *   SCANPAY-DEVICE-V1\n<terminal id>\n<METHOD>\n<path with query>\n<timestamp ms>\n<nonce>\n<sha256 hex of body>
 *
 * The platform accepts a timestamp within ±5 minutes of its own clock and each nonce once.
 */
export const DEVICE_SIGNATURE_SCHEME = 'SCANPAY-DEVICE-V1';

export const DEVICE_HEADERS = {
  terminal: 'x-scanpay-terminal',
  timestamp: 'x-scanpay-timestamp',
  nonce: 'x-scanpay-nonce',
  signature: 'x-scanpay-signature',
} as const;

export const SIGNATURE_WINDOW_MS = 5 * 60_000;

export interface SignedRequestParts {
  terminalId: string;
  method: string;
  pathWithQuery: string;
  timestamp: string;
  nonce: string;
  bodySha256Hex: string;
}

export function canonicalDeviceRequest(p: SignedRequestParts): string {
  return [
    DEVICE_SIGNATURE_SCHEME,
    p.terminalId,
    p.method.toUpperCase(),
    p.pathWithQuery,
    p.timestamp,
    p.nonce,
    p.bodySha256Hex,
  ].join('\n');
}

/** SHA-256 of the empty string: the body hash of a request without a body. */
export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
