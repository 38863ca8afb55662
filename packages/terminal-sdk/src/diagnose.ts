/**
 * From a failure to its diagnosis, on the terminal: the failure as evidence, the self-check,
 * then the platform's diagnosis (which adds what only the platform knows and stores an
 * incident) — or, when the platform cannot be reached or refuses this device, the same engine
 * run here on what the terminal saw. Either way the cashier gets an answer.
 */
import type { Incident, Payment } from '@scanpay/contracts';
import { diagnose, transportFailureOf, type Diagnosis, type Evidence } from '@scanpay/diagnosis';
import { ApiError, NetworkError, type TerminalClient } from './client.ts';
import { PaymentStillPending } from './pay-flow.ts';
import { selfCheck, type SelfCheckOptions, type SelfCheckReport } from './self-check.ts';

/** What a thrown error says: a refusal with its code, or a request that got no usable answer. */
export function evidenceOfError(err: unknown, context: { online?: boolean; operation?: string } = {}): Evidence[] {
  const at = new Date().toISOString();
  const operation = context.operation === undefined ? {} : { operation: context.operation };
  if (err instanceof ApiError) {
    return [{
      kind: 'error', code: err.code,
      ...(typeof err.problem.cause === 'string' ? { cause: err.problem.cause } : {}),
      httpStatus: err.status, ...operation, origin: 'terminal', at,
    }];
  }
  if (err instanceof NetworkError) {
    if (err.httpStatus !== undefined) {
      const failure = err.httpStatus >= 400 ? 'http_status' : 'unparsable';
      return [{ kind: 'transport', target: 'platform', failure, httpStatus: err.httpStatus, origin: 'terminal', at }];
    }
    const failure = transportFailureOf(err.cause ?? err, context.online === undefined ? {} : { online: context.online });
    // Nothing connected: the request cannot have reached the platform.
    const notSent = failure === 'refused' || failure === 'dns' || failure === 'offline';
    return [{ kind: 'transport', target: 'platform', failure, ...(notSent ? { notSent } : {}), origin: 'terminal', at }];
  }
  // Still pending: the platform knows why (its channel call got no answer); it adds that itself.
  if (err instanceof PaymentStillPending) return [];
  return [];
}

/** A payment that came back failed carries its refusal: the code, the finer cause, the channel's sub code. */
export function evidenceOfPayment(payment: Payment): Evidence[] {
  const f = payment.failure;
  if (payment.status !== 'failed' || !f) return [];
  return [{
    kind: 'error', code: f.code, cause: f.cause, channel: payment.channel,
    ...(f.channelCode ? { rawCode: f.channelCode } : {}),
    ...(f.channelSubCode ? { rawSubCode: f.channelSubCode } : {}),
    operation: 'pay', origin: 'terminal', at: payment.decidedAt ?? new Date().toISOString(),
  }];
}

export interface DiagnoseFailureInput {
  /** The thrown error or the failed payment being diagnosed, if any (none: a plain self-check). */
  failure?: unknown;
  /** Evidence the caller already holds (a scan session summary, telemetry…). */
  evidence?: Evidence[];
  paymentId?: string;
  /** Options for the self-check, or false to skip it (then only the given evidence is used). */
  selfCheck?: SelfCheckOptions | false;
}

export interface DiagnoseFailureResult {
  diagnosis: Diagnosis;
  /** Every piece of evidence the diagnosis used (the platform's additions included). */
  evidence: Evidence[];
  /** `platform`: diagnosed and stored there; `device`: the platform could not be asked. */
  diagnosedBy: 'platform' | 'device';
  incident?: Incident;
  report?: SelfCheckReport;
}

export async function diagnoseFailure(client: TerminalClient, input: DiagnoseFailureInput = {}): Promise<DiagnoseFailureResult> {
  const online = input.selfCheck ? input.selfCheck.online : undefined;
  const failureEvidence =
    input.failure === undefined ? []
      : isPayment(input.failure) ? evidenceOfPayment(input.failure)
        : evidenceOfError(input.failure, online === undefined ? {} : { online });
  const paymentId = input.paymentId ?? (isPayment(input.failure) ? input.failure.id : undefined);
  const report = input.selfCheck === false ? undefined : await selfCheck(client, input.selfCheck ?? {});
  const evidence: Evidence[] = [...(input.evidence ?? []), ...failureEvidence, ...(report?.evidence ?? [])];
  const withReport = report ? { report } : {};

  if (!report || (report.platformReachable && report.deviceAuthOk)) {
    try {
      const incident = await client.request<Incident>('POST', '/v1/diagnosis', { evidence, ...(paymentId ? { paymentId } : {}) });
      return {
        diagnosis: incident.diagnosis as unknown as Diagnosis,
        evidence: incident.evidence as unknown as Evidence[],
        diagnosedBy: 'platform',
        incident,
        ...withReport,
      };
    } catch (err) {
      evidence.push(...evidenceOfError(err, { operation: 'diagnosis', ...(online === undefined ? {} : { online }) }));
    }
  }
  return { diagnosis: diagnose(evidence), evidence, diagnosedBy: 'device', ...withReport };
}

function isPayment(x: unknown): x is Payment {
  return typeof x === 'object' && x !== null && 'outTradeNo' in x && 'status' in x && 'pending' in x;
}
