import type { z } from 'zod';
import type { EndpointId } from '../../catalog/index.js';
import type { Clock } from '../../clock/index.js';
import { BadRequest, EntitlementDenied, buildUrl, type HttpClient, type HttpResult, type QueryParams } from '../../http/index.js';
import { FmpLegacyEndpointClosed } from './errors.js';

/**
 * A symbol we send or store: FMP uses `BRK.B`, `BRK-B`, `^GSPC`, `6898.HK`, `EURUSD=X`; never
 * spaces, slashes or control characters (a row failing this is skipped, a request refused).
 */
export const FMP_SYMBOL_RE = /^[A-Za-z0-9^][A-Za-z0-9.\-^=_]{0,29}$/;

export interface FmpSkippedRow {
  endpoint: EndpointId;
  /** The offending value, JSON-quoted so control characters stay visible in logs. */
  value: string;
  reason: string;
}

export type FmpRoute = 'stable' | 'legacy';

export interface FmpContext {
  http: HttpClient;
  clock: Clock;
  baseUrl: string;
  /** `/stable` on FMP; configurable for a proxy or emulator that mounts it elsewhere. */
  stablePath: string;
  /** `/api/v3` on FMP. */
  legacyPath: string;
  /** Sent as the `apikey` query parameter; the HttpClient masks it in every URL, body and error. */
  apiKey: string;
  legacyFallback: boolean;
  routes: RouteMemory;
  onSkip: (skipped: FmpSkippedRow) => void;
}

/**
 * What this client has learnt about its key, so it does not spend the 250-a-day budget asking
 * again: that `/api/v3` is closed to it (403 Legacy Endpoint), which stable paths are off its plan
 * while their legacy twin works, and that delisted-companies paging past page 0 is refused.
 */
export class RouteMemory {
  private legacyClosed = false;
  private readonly legacyPreferred = new Set<string>();
  private pagingRefused = false;

  canUseLegacy(): boolean {
    return !this.legacyClosed;
  }

  closeLegacy(): void {
    this.legacyClosed = true;
    this.legacyPreferred.clear();
  }

  prefersLegacy(stablePath: string): boolean {
    return !this.legacyClosed && this.legacyPreferred.has(stablePath);
  }

  preferLegacy(stablePath: string): void {
    this.legacyPreferred.add(stablePath);
  }

  isPagingRefused(): boolean {
    return this.pagingRefused;
  }

  refusePaging(): void {
    this.pagingRefused = true;
  }
}

export interface RouteTarget<T> {
  /** Path under the stable or legacy prefix, e.g. `/income-statement` or `/income-statement/AAPL`. */
  path: string;
  params: QueryParams;
  schema: z.ZodType<T>;
}

export interface RouteSpec<S, L> {
  endpoint: EndpointId;
  stable: RouteTarget<S>;
  /** Omitted when v3 has no equivalent (or an equivalent of another meaning, e.g. adjusted prices). */
  legacy?: RouteTarget<L> | undefined;
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
}

export type Routed<S, L> = { route: 'stable'; result: HttpResult<S> } | { route: 'legacy'; result: HttpResult<L> };

/**
 * Stable first, legacy v3 only where that means something: when the stable path is off this key's
 * plan (Exclusive/Restricted Endpoint, a capability-wide denial) and a key issued before
 * 2025-08-31 may still reach v3. Symbol, parameter, auth and quota errors are never retried on
 * legacy (the plan is the same plan). When legacy answers `Legacy Endpoint`, the stable denial is
 * what the caller gets (it is the statement about the plan) and legacy is not tried again.
 */
export async function getRouted<S, L>(ctx: FmpContext, spec: RouteSpec<S, L>): Promise<Routed<S, L>> {
  const legacy = ctx.legacyFallback && ctx.routes.canUseLegacy() ? spec.legacy : undefined;
  const key = spec.stable.path;
  if (legacy && ctx.routes.prefersLegacy(key)) return { route: 'legacy', result: await viaLegacy(ctx, spec, legacy) };
  try {
    return { route: 'stable', result: await send(ctx, spec, ctx.stablePath, spec.stable) };
  } catch (stableError) {
    if (!legacy || !isEndpointDenial(stableError)) throw stableError;
    let result: HttpResult<L>;
    try {
      result = await viaLegacy(ctx, spec, legacy);
    } catch (legacyError) {
      throw legacyError instanceof FmpLegacyEndpointClosed ? stableError : legacyError;
    }
    ctx.routes.preferLegacy(key);
    return { route: 'legacy', result };
  }
}

async function viaLegacy<S, L>(ctx: FmpContext, spec: RouteSpec<S, L>, legacy: RouteTarget<L>): Promise<HttpResult<L>> {
  try {
    return await send(ctx, spec, ctx.legacyPath, legacy);
  } catch (error) {
    if (error instanceof FmpLegacyEndpointClosed) ctx.routes.closeLegacy();
    throw error;
  }
}

function send<T>(ctx: FmpContext, spec: RouteSpec<unknown, unknown>, prefix: string, target: RouteTarget<T>): Promise<HttpResult<T>> {
  // The key goes last so lineage URIs read `…?symbol=AAPL&apikey=***`.
  const url = buildUrl(ctx.baseUrl, `${prefix}${target.path}`, { ...target.params, apikey: ctx.apiKey });
  return ctx.http.getJson(url, { endpoint: spec.endpoint, schema: target.schema, signal: spec.signal, timeoutMs: spec.timeoutMs });
}

function isEndpointDenial(error: unknown): boolean {
  return error instanceof EntitlementDenied && error.scope === 'capability' && !(error instanceof FmpLegacyEndpointClosed);
}

/** Refuses a symbol FMP could not mean before any request is spent on it; FMP tickers are upper case. */
export function requireSymbol(symbol: string, endpoint: EndpointId): string {
  const upper = symbol.trim().toUpperCase();
  if (!FMP_SYMBOL_RE.test(upper)) throw new BadRequest(`invalid symbol ${JSON.stringify(symbol)}`, { vendor: 'fmp', endpoint });
  return upper;
}

/** Drops rows whose `symbol` is not the one asked for (FMP silently ignores some parameters, §5.5). */
export function keepRequestedSymbol<T extends { symbol?: string | undefined }>(ctx: FmpContext, endpoint: EndpointId, symbol: string, rows: readonly T[]): T[] {
  return rows.filter((row) => {
    if (row.symbol === undefined || row.symbol.toUpperCase() === symbol) return true;
    ctx.onSkip({ endpoint, value: JSON.stringify(row.symbol), reason: `row for another symbol than the requested ${symbol}` });
    return false;
  });
}
