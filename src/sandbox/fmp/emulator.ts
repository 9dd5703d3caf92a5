import { lastCompletedSession, nyDate } from '../../calendar/index.js';
import type { Clock } from '../../clock/index.js';
import type { Market } from '../market/index.js';
import type { Emulator, EmulatorRequest, EmulatorResponse } from '../shared/http.js';
import type { FmpBehaviour, FmpContext } from './context.js';
import { activelyTradingList, delistedCompanies, financialStatementSymbolList, legacyStockList, stockList } from './directory.js';
import { createFundamentals, type Fundamentals } from './fundamentals.js';
import { isExclusive, resolvePlan, type FmpCredentials, type FmpPlan } from './plan.js';
import { eod, legacyHistoricalPriceFull, type EodVariant } from './prices.js';
import { legacyProfile, profile } from './profile.js';
import { CONSTRUCTED_MESSAGES, errorMessage, MESSAGES, notFound, textResponse } from './responses.js';
import { BandwidthMeter, DailyQuota } from './quota.js';
import { legacyIncomeStatement, statement } from './statements.js';

export interface FmpEmulatorOptions {
  market: Market;
  clock: Clock;
  /** When omitted any non-empty key is accepted. */
  credentials?: FmpCredentials;
  plan?: Partial<FmpPlan>;
  behaviour?: Partial<FmpBehaviour>;
  /** Shared with whoever needs the same statements (built from the market when omitted). */
  fundamentals?: Fundamentals;
}

export const FMP_DEFAULT_BEHAVIOUR: FmpBehaviour = { eodFull: 'split_adjusted', delistedFlatFillSessions: 0 };

const EOD_RE = /^\/stable\/historical-price-eod\/(full|light|non-split-adjusted|dividend-adjusted)$/;
const LEGACY_RE = /^\/api\/v3\/(historical-price-full|income-statement|profile)\/([^/]+)$/;

/**
 * Financial Modeling Prep: key from `apikey` (query, or header), the day's request count, the
 * 30-day bandwidth, the legacy and exclusive-endpoint gates, then the route. Every request with a
 * valid key counts against the day, refused ones included (the vendor bills per call).
 */
export function createFmpEmulator(options: FmpEmulatorOptions): Emulator {
  const plan = resolvePlan(options.plan);
  const behaviour = { ...FMP_DEFAULT_BEHAVIOUR, ...options.behaviour };
  const fundamentals = options.fundamentals ?? createFundamentals(options.market);
  const quota = new DailyQuota(plan.requestsPerDay);
  const bandwidth = new BandwidthMeter(plan.bandwidthBytesPer30Days);

  return {
    handle(request: EmulatorRequest): EmulatorResponse {
      const key = request.query.get('apikey') ?? request.headers['apikey'] ?? '';
      if (key === '' || (options.credentials !== undefined && key !== options.credentials.apiKey)) return errorMessage(401, MESSAGES.invalidKey);
      const now = options.clock.now();
      const today = nyDate(now);
      if (!quota.take(key, today)) return errorMessage(plan.limitReachStatus, MESSAGES.limitReach);
      if (bandwidth.exhausted(key, today)) return errorMessage(429, CONSTRUCTED_MESSAGES.bandwidth);
      const ctx: FmpContext = { market: options.market, fundamentals, plan, behaviour, now, today, lastCompleted: lastCompletedSession(now) };
      const response = gated(request, ctx);
      bandwidth.record(key, today, Buffer.byteLength(response.body));
      return response;
    },
  };
}

function gated(request: EmulatorRequest, ctx: FmpContext): EmulatorResponse {
  if (request.method !== 'GET') return textResponse(405, 'Method Not Allowed');
  const { path } = request;
  if (path.startsWith('/api/')) return ctx.plan.legacyAllowed ? legacyRoute(request, ctx) : errorMessage(403, MESSAGES.legacy);
  if (isExclusive(ctx.plan, path)) return errorMessage(402, MESSAGES.exclusive);
  return stableRoute(request, ctx);
}

function stableRoute({ path, query }: EmulatorRequest, ctx: FmpContext): EmulatorResponse {
  const variant = EOD_RE.exec(path)?.[1] as EodVariant | undefined;
  if (variant) return eod(variant, query, ctx);
  switch (path) {
    case '/stable/stock-list':
      return stockList(ctx);
    case '/stable/actively-trading-list':
      return activelyTradingList(ctx);
    case '/stable/financial-statement-symbol-list':
      return financialStatementSymbolList(ctx);
    case '/stable/delisted-companies':
      return delistedCompanies(query, ctx);
    case '/stable/income-statement':
      return statement('income', query, ctx);
    case '/stable/balance-sheet-statement':
      return statement('balance', query, ctx);
    case '/stable/cash-flow-statement':
      return statement('cashFlow', query, ctx);
    case '/stable/profile':
      return profile(query, ctx);
    default:
      return notFound();
  }
}

/** The v3 surface, for keys whose subscription predates the cutoff (symbol in the path). */
function legacyRoute({ path, query }: EmulatorRequest, ctx: FmpContext): EmulatorResponse {
  if (path === '/api/v3/stock/list') return legacyStockList(ctx);
  const match = LEGACY_RE.exec(path);
  const symbol = match ? safeDecode(match[2] as string) : undefined;
  if (!match || symbol === undefined) return notFound();
  if (match[1] === 'historical-price-full') return legacyHistoricalPriceFull(symbol, query, ctx);
  if (match[1] === 'income-statement') return legacyIncomeStatement(symbol, query, ctx);
  return legacyProfile(symbol, ctx);
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
