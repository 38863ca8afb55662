import type { VersionComponent } from '@scanpay/diagnosis';

/**
 * The compatibility policy, as data: the minimum (and latest) version of each component a
 * terminal may run with. Terminals below a minimum are told so by the self-check (and, once
 * OTA lands, updated). Components the policy leaves out are not checked.
 */
export type CompatibilityPolicy = Partial<Record<VersionComponent, { minimum: string; latest?: string }>>;

export const DEFAULT_COMPATIBILITY: CompatibilityPolicy = {
  app: { minimum: '0.1.0', latest: '0.1.0' },
  paycode_rules: { minimum: '1.0.0', latest: '1.0.0' },
};
