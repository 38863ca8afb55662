import { diagnose } from '@scanpay/diagnosis';
import { newId } from '../../lib/ids.ts';
import { findPayment } from '../payments/store.ts';
import { findTerminal } from '../terminals/store.ts';
import { platformEvidence } from './platform-evidence.ts';
import type { DiagnosisDeps } from './self-status.ts';
import { insertIncident } from './store.ts';

/**
 * A payment still undecided past the alert deadline gets a diagnosis, stored as an incident for the
 * operator: the channel's silences behind it, the channel and merchant as the platform sees them.
 * Returns the incident id.
 */
export async function diagnoseUndecidedPayment(deps: DiagnosisDeps, paymentId: string): Promise<string | undefined> {
  const payment = await findPayment(deps.db, paymentId);
  const terminal = payment ? await findTerminal(deps.db, payment.terminal_id) : undefined;
  if (!payment || !terminal) return undefined;
  const evidence = await platformEvidence(deps, terminal, [], { paymentId });
  const diagnosis = diagnose(evidence);
  const top = diagnosis.causes[0];
  const row = await insertIncident(deps.db, {
    id: newId('inc'),
    terminalId: terminal.id,
    merchantId: payment.merchant_id,
    evidence,
    diagnosis: { causes: diagnosis.causes.map((c) => ({ cause: c.cause, confidence: c.confidence })), paymentId },
    topCause: top?.cause ?? null,
    topConfidence: top?.confidence ?? null,
  });
  return row.id;
}
