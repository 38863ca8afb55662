// The cause catalogue, in the source document's order. One file per category keeps each small.
import type { Cause } from '../cause.ts';
import { accountCauses } from './account.ts';
import { buyerCauses } from './buyer.ts';
import { compatibilityCauses } from './compatibility.ts';
import { configurationCauses } from './configuration.ts';
import { hardwareCauses } from './hardware.ts';
import { networkCauses } from './network.ts';
import { operationCauses } from './operation.ts';
import { orderCauses } from './orders.ts';
import { powerCauses } from './power.ts';
import { securityCauses } from './security.ts';
import { supportCauses } from './support.ts';
import { systemCauses } from './system.ts';

export const causes: readonly Cause[] = [
  ...compatibilityCauses,
  ...hardwareCauses,
  ...configurationCauses,
  ...networkCauses,
  ...powerCauses,
  ...securityCauses,
  ...accountCauses,
  ...buyerCauses,
  ...operationCauses,
  ...orderCauses,
  ...supportCauses,
  ...systemCauses,
];

const byId = new Map(causes.map((c) => [c.id, c]));

export const causeIds: readonly string[] = causes.map((c) => c.id);

export function causeById(id: string): Cause | undefined {
  return byId.get(id);
}

export function isCauseId(id: string): boolean {
  return byId.has(id);
}
