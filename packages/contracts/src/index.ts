export { Secret } from './secret.ts';
export * from './device-signature.ts';
export * from './terminal-api.ts';
export * from './diagnosis-api.ts';
export * from './scan-profile.ts';
