import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  EffectiveScanProfile,
  ScanProfile,
  scanProfileProblems,
  SetScanProfileRequest,
  TerminalConfig,
  TerminalScanProfileView,
} from '@scanpay/contracts';
import { AppError } from '@scanpay/errors';
import type { Db } from '../../db/index.ts';
import { findMerchant } from '../merchants/store.ts';
import { findTerminal } from '../terminals/store.ts';
import { clearScanProfile, effectiveScanProfile, findScanProfile, type ProfileScope, setScanProfile } from './store.ts';

const TerminalParams = z.object({ terminalId: z.string() });
const MerchantParams = z.object({ merchantId: z.string() });
const ScopeResult = z.object({ scope: z.enum(['fleet', 'merchant', 'terminal']), scopeId: z.string(), version: z.number().int(), profile: ScanProfile });
const Cleared = z.object({ cleared: z.boolean() });

/**
 * A body that fails the schema is refused with the profile's own code (not a generic validation
 * error) and one line per broken field, so the operator's console can point at it.
 */
function profileFromBody(request: FastifyRequest): ScanProfile {
  if (!request.validationError) return (request.body as { profile: ScanProfile }).profile;
  const body = request.body as { profile?: unknown } | null | undefined;
  const problems = body && typeof body === 'object' && 'profile' in body ? scanProfileProblems(body.profile) : [];
  const listed = problems.length > 0 ? problems : [{ field: 'profile' as const, message: { zh: '请求体须为 { "profile": {…} }', en: 'the body must be { "profile": {…} }' } }];
  throw new AppError('OPS_SCAN_PROFILE_INVALID', {
    param: `profile.${listed[0]!.field}`,
    detail: listed.map((p) => p.message.en).join('; '),
    extra: { problems: listed },
  });
}

/**
 * Scan profiles (PRODUCT.md 四.2): the operator sets a fleet default and per-merchant or
 * per-terminal overrides; the terminal reads the one in force with a device-signed request.
 */
export async function scanProfileRoutes(app: FastifyInstance, opts: { db: Db }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = opts.db;
  const profileBody = { body: SetScanProfileRequest };

  async function terminalOrThrow(terminalId: string) {
    const terminal = await findTerminal(db, terminalId);
    if (!terminal) throw new AppError('OPS_NOT_FOUND', { param: 'terminalId', detail: `no terminal ${terminalId}` });
    return terminal;
  }

  async function terminalView(terminalId: string): Promise<TerminalScanProfileView> {
    const terminal = await terminalOrThrow(terminalId);
    return {
      terminalId,
      effective: await effectiveScanProfile(db, { terminalId, merchantId: terminal.merchant_id }),
      override: await findScanProfile(db, 'terminal', terminalId),
    };
  }

  const saved = async (scope: ProfileScope, scopeId: string, profile: ScanProfile) =>
    ({ scope, scopeId, version: await setScanProfile(db, scope, scopeId, profile), profile });

  // ── the terminal ──
  r.get(
    '/v1/terminals/self/config',
    {
      config: { auth: 'device' },
      schema: {
        tags: ['terminals'],
        summary: 'The configuration this terminal should run with: the scan profile in force and its version',
        response: { 200: TerminalConfig },
      },
    },
    async (request) => {
      const t = request.terminal!;
      return { scanProfile: await effectiveScanProfile(db, { terminalId: t.id, merchantId: t.merchant_id }) };
    },
  );

  // ── the fleet default ──
  r.get(
    '/v1/ops/scan-profile',
    {
      config: { auth: 'operator' },
      schema: { tags: ['operator'], summary: 'The fleet’s default scan profile (the built-in one until set)', response: { 200: EffectiveScanProfile } },
    },
    async () => effectiveScanProfile(db),
  );
  r.put(
    '/v1/ops/scan-profile',
    {
      config: { auth: 'operator' },
      attachValidation: true,
      schema: { tags: ['operator'], summary: 'Set the fleet’s default scan profile', ...profileBody, response: { 200: ScopeResult } },
    },
    async (request) => saved('fleet', '', profileFromBody(request)),
  );
  r.delete(
    '/v1/ops/scan-profile',
    { config: { auth: 'operator' }, schema: { tags: ['operator'], summary: 'Back to the built-in default for the fleet', response: { 200: Cleared } } },
    async () => ({ cleared: await clearScanProfile(db, 'fleet', '') }),
  );

  // ── per merchant ──
  r.put(
    '/v1/ops/merchants/:merchantId/scan-profile',
    {
      config: { auth: 'operator' },
      attachValidation: true,
      schema: { tags: ['operator'], summary: 'Set the scan profile of every terminal of a merchant', params: MerchantParams, ...profileBody, response: { 200: ScopeResult } },
    },
    async (request) => {
      const { merchantId } = request.params as z.infer<typeof MerchantParams>;
      const profile = profileFromBody(request);
      if (!(await findMerchant(db, merchantId))) throw new AppError('OPS_NOT_FOUND', { param: 'merchantId', detail: `no merchant ${merchantId}` });
      return saved('merchant', merchantId, profile);
    },
  );
  r.delete(
    '/v1/ops/merchants/:merchantId/scan-profile',
    { config: { auth: 'operator' }, schema: { tags: ['operator'], summary: 'Remove a merchant’s scan profile', params: MerchantParams, response: { 200: Cleared } } },
    async (request) => ({ cleared: await clearScanProfile(db, 'merchant', request.params.merchantId) }),
  );

  // ── per terminal ──
  r.get(
    '/v1/ops/terminals/:terminalId/scan-profile',
    {
      config: { auth: 'operator' },
      schema: { tags: ['operator'], summary: 'A terminal’s scan profile in force, where it comes from, and its own override', params: TerminalParams, response: { 200: TerminalScanProfileView } },
    },
    async (request) => terminalView(request.params.terminalId),
  );
  r.put(
    '/v1/ops/terminals/:terminalId/scan-profile',
    {
      config: { auth: 'operator' },
      attachValidation: true,
      schema: { tags: ['operator'], summary: 'Set one terminal’s scan profile (overrides the merchant’s and the fleet’s)', params: TerminalParams, ...profileBody, response: { 200: TerminalScanProfileView } },
    },
    async (request) => {
      const { terminalId } = request.params as z.infer<typeof TerminalParams>;
      const profile = profileFromBody(request);
      await terminalOrThrow(terminalId);
      await setScanProfile(db, 'terminal', terminalId, profile);
      return terminalView(terminalId);
    },
  );
  r.delete(
    '/v1/ops/terminals/:terminalId/scan-profile',
    {
      config: { auth: 'operator' },
      schema: { tags: ['operator'], summary: 'Remove a terminal’s own scan profile (the merchant’s or the fleet’s applies again)', params: TerminalParams, response: { 200: TerminalScanProfileView } },
    },
    async (request) => {
      await terminalOrThrow(request.params.terminalId);
      await clearScanProfile(db, 'terminal', request.params.terminalId);
      return terminalView(request.params.terminalId);
    },
  );
}
