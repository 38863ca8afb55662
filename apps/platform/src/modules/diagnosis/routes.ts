import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DiagnosisRequest, Incident, TerminalSelfStatus, TimeResponse } from '@scanpay/contracts';
import { diagnose, type Diagnosis, type Evidence } from '@scanpay/diagnosis';
import { AppError } from '@scanpay/errors';
import { newId } from '../../lib/ids.ts';
import { platformEvidence } from './platform-evidence.ts';
import { type DiagnosisDeps, selfStatus } from './self-status.ts';
import { findIncident, type IncidentRow, insertIncident } from './store.ts';

const IncidentId = z.object({ id: z.string().regex(/^inc_[0-9a-z]{26}$/) });

/** Matches point at the evidence by index; the stored copy does not repeat it. */
function compact(d: Diagnosis): unknown {
  const strip = <M extends { evidence: unknown }>({ evidence: _e, ...m }: M) => m;
  return {
    ...d,
    causes: d.causes.map((c) => ({
      ...c,
      supportingEvidence: c.supportingEvidence.map(strip),
      contradictingEvidence: c.contradictingEvidence.map(strip),
    })),
  };
}

function expand(stored: unknown, evidence: readonly Evidence[]): Diagnosis {
  const d = stored as Diagnosis;
  const fill = <M extends { evidenceIndex: number }>(m: M) => ({ ...m, evidence: evidence[m.evidenceIndex]! });
  return {
    ...d,
    causes: d.causes.map((c) => ({
      ...c,
      supportingEvidence: c.supportingEvidence.map(fill),
      contradictingEvidence: c.contradictingEvidence.map(fill),
    })),
  };
}

function presentIncident(row: IncidentRow): Incident {
  const evidence = row.evidence as Evidence[];
  const diagnosis = expand(row.diagnosis, evidence);
  return {
    id: row.id,
    terminalId: row.terminal_id,
    merchantId: row.merchant_id,
    createdAt: row.created_at.toISOString(),
    topCause: row.top_cause,
    evidence: evidence as unknown as Incident['evidence'],
    diagnosis: diagnosis as unknown as Incident['diagnosis'],
  };
}

export async function diagnosisRoutes(app: FastifyInstance, deps: DiagnosisDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/v1/time',
    { schema: { tags: ['system'], summary: 'The platform’s clock, for the terminal’s clock check (unsigned)', response: { 200: TimeResponse } } },
    async () => {
      const now = deps.now();
      return { serverTime: now.toISOString(), epochMs: now.getTime() };
    },
  );

  r.get(
    '/v1/terminals/self/status',
    {
      config: { auth: 'device' },
      schema: {
        tags: ['terminals'],
        summary: 'This terminal as the platform sees it: merchant, versions policy, channel reachability',
        response: { 200: TerminalSelfStatus },
      },
    },
    async (request) => selfStatus(deps, request.terminal!),
  );

  r.post(
    '/v1/diagnosis',
    {
      config: { auth: 'device' },
      schema: {
        tags: ['terminals'],
        summary: 'Diagnose a failure: the terminal’s evidence plus the platform’s, ranked causes, stored as an incident',
        body: DiagnosisRequest,
        response: { 200: Incident },
      },
    },
    async (request) => {
      const terminal = request.terminal!;
      const given = request.body.evidence as Evidence[];
      const added = await platformEvidence(deps, terminal, given, request.body.paymentId ? { paymentId: request.body.paymentId } : {});
      const evidence = [...given, ...added];
      const diagnosis = diagnose(evidence);
      const top = diagnosis.causes[0];
      const row = await insertIncident(deps.db, {
        id: newId('inc'),
        terminalId: terminal.id,
        merchantId: terminal.merchant_id,
        evidence,
        diagnosis: compact(diagnosis),
        topCause: top?.cause ?? null,
        topConfidence: top?.confidence ?? null,
      });
      return presentIncident(row);
    },
  );

  r.get(
    '/v1/diagnosis/:id',
    {
      config: { auth: 'device' },
      schema: { tags: ['terminals'], summary: 'An incident of this terminal’s merchant', params: IncidentId, response: { 200: Incident } },
    },
    async (request) => {
      const row = await findIncident(deps.db, request.params.id);
      if (!row || row.merchant_id !== request.terminal!.merchant_id) throw new AppError('REQ_NOT_FOUND', { param: 'id' });
      return presentIncident(row);
    },
  );
}
