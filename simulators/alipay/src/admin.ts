// Admin API under /__sim/ (JSON in and out, yuan amounts as strings): apps, buyers, payment
// codes, faults, scenarios, clock and reset. Trade routes live in admin-trades.ts.
import { randomBytes } from 'node:crypto';
import { SUB_CODES } from './codes.ts';
import { pemBody, publicKeyPem, toRsaPublicKey } from './crypto.ts';
import { validateRule, type FaultRule } from './faults.ts';
import { bad, notFound, optBool, optNumber, optString, optYuan, Router } from './http-util.ts';
import { buyerIdFor, DEMO_BUYER_ID, defaultSellerId, maskedLogonId, newPaymentCode } from './ids.ts';
import type { App, AppAuthToken, Buyer, Merchant } from './model.ts';
import type { Notifier } from './notifier.ts';
import { SCENARIO_ALIASES } from './scenarios.ts';
import type { SimConfig, Sim } from './sim.ts';
import type { Put } from './store.ts';
import { yuan } from './wire.ts';

export interface Runtime {
  sim: Sim;
  notifier: Notifier;
  seedDemo: boolean;
}

export function appView(sim: Sim, app: App) {
  return {
    appId: app.appId, sellerId: app.sellerId, name: app.name, signType: app.signType, notifyUrl: app.notifyUrl,
    certMode: app.certMode, publicKey: app.publicKeyPem, alipayPublicKey: sim.keys.publicKeyPem,
    merchant: { ...app.merchant, perReceiptLimit: money(app.merchant.perReceiptLimitFen), balance: money(app.merchant.balanceFen), perReceiptLimitFen: undefined, balanceFen: undefined },
  };
}

function money(fen: number | undefined): string | undefined {
  return fen === undefined ? undefined : yuan(fen);
}

export function buyerView(b: Buyer) {
  return {
    buyerId: b.buyerId, logonId: b.logonId, name: b.name, balance: yuan(b.balanceFen),
    passwordThreshold: yuan(b.passwordThresholdFen), dailyLimit: money(b.dailyLimitFen), monthlyLimit: money(b.monthlyLimitFen),
    riskFlag: b.riskFlag, paymentSwitchOff: b.paymentSwitchOff, certifyLevelLow: b.certifyLevelLow,
    balancePaymentDisabled: b.balancePaymentDisabled, accountForbidden: b.accountForbidden ?? false,
  };
}

const DEFAULT_MERCHANT: Merchant = { status: 'normal', faceToFaceSigned: true, contractExpired: false, appOnline: true };

/** Applies the buyer fields of an admin body onto a buyer (create or update). */
function buyerFromBody(body: Record<string, unknown>, base: Buyer): Buyer {
  return {
    ...base,
    name: optString(body, 'name') ?? base.name,
    balanceFen: optYuan(body, 'balance') ?? base.balanceFen,
    passwordThresholdFen: optYuan(body, 'passwordThreshold') ?? base.passwordThresholdFen,
    dailyLimitFen: optYuan(body, 'dailyLimit') ?? base.dailyLimitFen,
    monthlyLimitFen: optYuan(body, 'monthlyLimit') ?? base.monthlyLimitFen,
    riskFlag: optBool(body, 'riskFlag') ?? base.riskFlag,
    paymentSwitchOff: optBool(body, 'paymentSwitchOff') ?? base.paymentSwitchOff,
    certifyLevelLow: optBool(body, 'certifyLevelLow') ?? base.certifyLevelLow,
    balancePaymentDisabled: optBool(body, 'balancePaymentDisabled') ?? base.balancePaymentDisabled,
    accountForbidden: optBool(body, 'accountForbidden') ?? base.accountForbidden ?? false,
  };
}

function blankBuyer(buyerId: string, name: string, balanceFen: number): Buyer {
  return {
    buyerId, logonId: maskedLogonId(buyerId), name, balanceFen, passwordThresholdFen: 200_000,
    riskFlag: false, paymentSwitchOff: false, certifyLevelLow: false, balancePaymentDisabled: false,
    spentDay: '', spentDayFen: 0, spentMonth: '', spentMonthFen: 0,
  };
}

/** Demo buyer 2088000000000001: 100000.00 yuan, confirmation above 2000.00. Kept if present. */
export function seedDemoBuyer(sim: Sim): void {
  if (sim.store.buyers.has(DEMO_BUYER_ID)) return;
  sim.commit(['buyer', DEMO_BUYER_ID, blankBuyer(DEMO_BUYER_ID, '演示买家 Demo Buyer', 10_000_000)]);
}

export function resetBook(rt: Runtime): void {
  const { sim } = rt;
  sim.timers.clearAll();
  sim.store.reset();
  sim.faults.clear();
  sim.calls.clear();
  rt.notifier.reset();
  if (rt.seedDemo) seedDemoBuyer(sim);
}

/** Moves every pending timer so that remaining simulated time is kept under the new scale. */
export function setTimeScale(sim: Sim, next: number): void {
  const now = Date.now();
  const factor = sim.timeScale / next;
  const move = (due: number | undefined) => (due === undefined ? undefined : now + Math.max(0, due - now) * factor);
  const puts: Put[] = [];
  for (const t of sim.store.trades.values()) {
    if (t.status !== 'WAIT_BUYER_PAY') continue;
    if (t.confirmAt === undefined && t.autoCloseAt === undefined && t.qrExpiresAt === undefined) continue;
    puts.push(['trade', t.key, { ...t, confirmAt: move(t.confirmAt), autoCloseAt: move(t.autoCloseAt), qrExpiresAt: move(t.qrExpiresAt) }]);
  }
  for (const n of sim.store.notifications.values()) {
    if (n.status === 'pending' || n.status === 'held') puts.push(['notify', n.id, { ...n, nextAt: move(n.nextAt)! }]);
  }
  sim.timeScale = next;
  sim.commit(...puts);
}

export function adminRoutes(rt: Runtime, router: Router): void {
  const { sim } = rt;
  const store = sim.store;

  router.on('GET', '/__sim/health', () => ({ ok: true }));
  router.on('GET', '/__sim/keys', () => ({ alipayPublicKey: sim.keys.publicKeyPem, alipayPublicKeyBase64: pemBody(sim.keys.publicKeyPem) }));

  router.on('POST', '/__sim/apps', ({ body }) => {
    const appId = optString(body, 'appId', /^[0-9A-Za-z_]{1,32}$/);
    if (!appId) throw bad('appId is required');
    const keyText = optString(body, 'publicKey');
    const existing = store.apps.get(appId);
    if (!keyText && !existing) throw bad('publicKey is required');
    let keyPem = existing?.publicKeyPem ?? '';
    if (keyText) {
      try {
        keyPem = publicKeyPem(toRsaPublicKey(keyText));
      } catch (err) {
        throw bad(`publicKey is not an RSA public key (PEM or base64 SPKI): ${(err as Error).message}`);
      }
    }
    const signType = optString(body, 'signType', /^(RSA2|RSA)$/) as App['signType'] | undefined;
    const app: App = {
      appId,
      sellerId: optString(body, 'sellerId', /^2088\d{12}$/) ?? existing?.sellerId ?? defaultSellerId(appId),
      name: optString(body, 'name') ?? existing?.name ?? appId,
      publicKeyPem: keyPem,
      signType: signType ?? existing?.signType ?? 'RSA2',
      notifyUrl: optString(body, 'notifyUrl', /^https?:\/\/\S+$/) ?? existing?.notifyUrl,
      certMode: optBool(body, 'certMode') ?? existing?.certMode ?? false,
      merchant: existing?.merchant ?? { ...DEFAULT_MERCHANT },
      createdAt: existing?.createdAt ?? Date.now(),
    };
    const clash = [...store.apps.values()].find((a) => a.sellerId === app.sellerId && a.appId !== appId);
    if (clash && body.sellerId === undefined) throw bad(`sellerId ${app.sellerId} already belongs to ${clash.appId}`);
    sim.commit(['app', appId, app]);
    return { appId, sellerId: app.sellerId, alipayPublicKey: sim.keys.publicKeyPem };
  });

  router.on('GET', '/__sim/apps/:appId', ({ params }) => {
    const app = store.apps.get(params.appId!);
    if (!app) throw notFound(`no app ${params.appId}`);
    return appView(sim, app);
  });

  router.on('POST', '/__sim/apps/:appId/merchant-status', ({ params, body }) => {
    const app = store.apps.get(params.appId!);
    if (!app) throw notFound(`no app ${params.appId}`);
    const m = app.merchant;
    const merchant: Merchant = {
      status: (optString(body, 'status', /^(normal|frozen|closed)$/) as Merchant['status'] | undefined) ?? m.status,
      faceToFaceSigned: optBool(body, 'faceToFaceSigned') ?? m.faceToFaceSigned,
      contractExpired: optBool(body, 'contractExpired') ?? m.contractExpired,
      appOnline: optBool(body, 'appOnline') ?? m.appOnline,
      perReceiptLimitFen: body.perReceiptLimit === null ? undefined : optYuan(body, 'perReceiptLimit') ?? m.perReceiptLimitFen,
      balanceFen: body.balance === null ? undefined : optYuan(body, 'balance') ?? m.balanceFen,
    };
    const next = { ...app, merchant };
    sim.commit(['app', app.appId, next]);
    return appView(sim, next);
  });

  router.on('POST', '/__sim/buyers', ({ body }) => {
    const buyerId = buyerIdFor(store.nextBuyerSeq());
    const buyer = buyerFromBody(body, blankBuyer(buyerId, `买家${buyerId.slice(-4)}`, 100_000));
    sim.commit(['buyer', buyerId, buyer]);
    return buyerView(buyer);
  });

  router.on('GET', '/__sim/buyers/:buyerId', ({ params }) => {
    const buyer = store.buyers.get(params.buyerId!);
    if (!buyer) throw notFound(`no buyer ${params.buyerId}`);
    return buyerView(buyer);
  });

  router.on('POST', '/__sim/buyers/:buyerId', ({ params, body }) => {
    const buyer = store.buyers.get(params.buyerId!);
    if (!buyer) throw notFound(`no buyer ${params.buyerId}`);
    const next = buyerFromBody(body, buyer);
    sim.commit(['buyer', buyer.buyerId, next]);
    return buyerView(next);
  });

  router.on('POST', '/__sim/payment-codes', ({ body }) => {
    const buyerId = optString(body, 'buyerId') ?? DEMO_BUYER_ID;
    if (!store.buyers.has(buyerId)) throw notFound(`no buyer ${buyerId}`);
    const prefix = optString(body, 'prefix', /^\d{1,4}$/) ?? '28';
    const length = optNumber(body, 'length', prefix.length + 6, 32) ?? 18;
    const ttlSeconds = optNumber(body, 'ttlSeconds', 0.001, 86_400 * 30) ?? 60;
    if (!Number.isInteger(length)) throw bad('length must be an integer');
    let code = newPaymentCode(sim.idRng, prefix, length);
    while (store.codes.has(code)) code = newPaymentCode(sim.idRng, prefix, length);
    const expiresAt = Date.now() + ttlSeconds * 1000;
    sim.commit(['code', code, { code, buyerId, expiresAt }]);
    return { code, buyerId, expiresAt: new Date(expiresAt).toISOString() };
  });

  router.on('POST', '/__sim/app-auth-tokens', ({ body }) => {
    const appId = optString(body, 'appId');
    if (!appId || !store.apps.has(appId)) throw bad(`appId must name a registered app (the ISV's)`);
    const merchantSellerId = optString(body, 'merchantSellerId');
    const merchantAppIdIn = optString(body, 'merchantAppId');
    const merchant = [...store.apps.values()].find((a) => a.sellerId === merchantSellerId || a.appId === merchantAppIdIn);
    if (!merchant) throw bad('merchantSellerId (or merchantAppId) must name a registered merchant app');
    const expiresIn = optNumber(body, 'expiresInSeconds', 0, 10 * 365 * 86_400);
    const methods = body.methods;
    if (methods !== undefined && (!Array.isArray(methods) || !methods.every((m) => typeof m === 'string'))) throw bad('methods must be a list of method names');
    const token: AppAuthToken = {
      token: `${new Date().toISOString().slice(0, 7).replace('-', '')}BB${randomBytes(16).toString('hex')}`,
      appId, merchantAppId: merchant.appId, merchantSellerId: merchant.sellerId,
      ...(expiresIn !== undefined ? { expiresAt: Date.now() + expiresIn * 1000 } : {}),
      ...(methods ? { methods: methods as string[] } : {}),
    };
    sim.commit(['token', token.token, token]);
    return { appAuthToken: token.token, appId, authAppId: merchant.appId, userId: merchant.sellerId, expiresAt: token.expiresAt ? new Date(token.expiresAt).toISOString() : undefined };
  });

  router.on('PUT', '/__sim/faults', ({ body }) => {
    const rules = body.rules;
    if (!Array.isArray(rules)) throw bad('rules must be a list');
    rules.forEach((rule, i) => {
      const error = validateRule(rule);
      if (error) throw bad(`rules[${i}]: ${error}`);
    });
    const seed = optNumber(body, 'seed', -(2 ** 31), 2 ** 32);
    sim.faults.set(rules as FaultRule[], seed);
    return sim.faults.list();
  });
  router.on('GET', '/__sim/faults', () => sim.faults.list());
  router.on('DELETE', '/__sim/faults', () => { sim.faults.clear(); return sim.faults.list(); });

  router.on('GET', '/__sim/scenarios', () => ({
    subCodes: Object.entries(SUB_CODES).map(([subCode, info]) => ({ name: subCode, ...info })),
    aliases: Object.entries(SCENARIO_ALIASES).map(([name, a]) => ({ name, description: a.description })),
  }));
  router.on('POST', '/__sim/scenarios/:name', ({ params, body }) => {
    const name = params.name!;
    const count = optNumber(body, 'count', 1, 1e9) ?? 1;
    const method = optString(body, 'method');
    const info = SUB_CODES[name];
    let rule: FaultRule;
    if (info) {
      rule = { kind: 'sub_code', code: info.code, subCode: name, subMsg: info.msg, count };
      const target = method ?? info.method;
      if (target) rule.method = target;
    } else if (SCENARIO_ALIASES[name]) {
      rule = { ...SCENARIO_ALIASES[name].rule(body), count };
      if (method) rule.method = method;
    } else {
      throw notFound(`no scenario ${name} (GET /__sim/scenarios lists them)`);
    }
    const error = validateRule(rule);
    if (error) throw bad(error);
    return { installed: sim.faults.add(rule) };
  });

  router.on('POST', '/__sim/clock', ({ body }) => {
    const timeScale = optNumber(body, 'timeScale', 1e-3, 1e9);
    if (timeScale === undefined) throw bad('timeScale is required');
    setTimeScale(sim, timeScale);
    return { timeScale: sim.timeScale, now: new Date().toISOString() };
  });
  router.on('GET', '/__sim/clock', () => ({ timeScale: sim.timeScale, now: new Date().toISOString() }));

  router.on('GET', '/__sim/config', () => ({ ...sim.config, timeScale: sim.timeScale }));
  router.on('PUT', '/__sim/config', ({ body }) => {
    const next: SimConfig = { ...sim.config };
    const schedule = body.notifyScheduleMs;
    if (schedule !== undefined) {
      if (!Array.isArray(schedule) || schedule.length === 0 || !schedule.every((n) => typeof n === 'number' && n >= 0)) {
        throw bad('notifyScheduleMs must be a non-empty list of non-negative numbers');
      }
      next.notifyScheduleMs = schedule as number[];
    }
    for (const field of ['autoCloseMs', 'precreateQrTtlMs', 'cancelWindowMs', 'timestampSkewMs'] as const) {
      next[field] = optNumber(body, field, 0, 400 * 86_400_000) ?? next[field];
    }
    sim.config = next;
    return { ...sim.config, timeScale: sim.timeScale };
  });

  router.on('POST', '/__sim/reset', () => {
    resetBook(rt);
    return { ok: true };
  });

  router.on('GET', '/__sim/calls', ({ query }) => {
    const since = query.get('sinceSeq');
    if (since !== null && !/^\d+$/.test(since)) throw bad('sinceSeq must be an integer');
    return sim.calls.snapshot({
      method: query.get('method') ?? undefined, appId: query.get('appId') ?? undefined,
      outTradeNo: query.get('outTradeNo') ?? undefined, sinceSeq: since === null ? undefined : Number(since),
    });
  });
}
