import type { z } from 'zod';
import type { EndpointId } from '../../catalog/index.js';
import type { Clock } from '../../clock/index.js';
import { AuthFailed, BadRequest, buildUrl, type HttpClient, type HttpResult, type QueryParams } from '../../http/index.js';
import { requireDate, requireOrderedRange } from '../shared/index.js';

/**
 * A FRED series id as we accept it: letters, digits and underscores (DGS10, CPIAUCSL,
 * BAMLH0A0HYM2). Ids are case-insensitive at FRED; we send and store them upper-cased.
 */
export const FRED_SERIES_ID_RE = /^[A-Z0-9_]{1,64}$/;
/** "Not registered" right after the key worked is FRED's burst throttle in disguise (fred.md §2). */
const KEY_NOT_REGISTERED_RE = /api_key is not registered/i;
/** How long to pause before the one retry of such a response; FRED's own rate window is a minute. */
export const FRED_KEY_GLITCH_PAUSE_MS = 60_000;

export interface FredContext {
  http: HttpClient;
  clock: Clock;
  baseUrl: string;
  apiKey: string;
  /** `limit` for series/observations (FRED's maximum is 100,000). */
  observationsPageLimit: number;
  /** Vintage dates covered by one ALFRED observations request (FRED refuses more than 2,000). */
  vintageDatesPerRequest: number;
  /** Mutable: whether FRED has accepted this key during this client's life. */
  session: { keyAccepted: boolean };
}

/**
 * One FRED GET: `file_type=json` (the default is XML) and the key on every request. A
 * "key not registered" answer after the key has been accepted before is retried once after a
 * pause; a second refusal is final and the key is treated as unproven again.
 */
export async function fredGet<T>(ctx: FredContext, path: string, params: QueryParams, endpoint: EndpointId, schema: z.ZodType<T>, signal?: AbortSignal): Promise<HttpResult<T>> {
  const url = buildUrl(ctx.baseUrl, path, { ...params, file_type: 'json', api_key: ctx.apiKey });
  const init = { endpoint, schema, signal };
  try {
    const result = await ctx.http.getJson(url, init);
    ctx.session.keyAccepted = true;
    return result;
  } catch (error) {
    if (!(error instanceof AuthFailed) || !ctx.session.keyAccepted || !KEY_NOT_REGISTERED_RE.test(error.message)) throw error;
    ctx.session.keyAccepted = false;
    await ctx.clock.sleep(FRED_KEY_GLITCH_PAUSE_MS, signal);
    const result = await ctx.http.getJson(url, init);
    ctx.session.keyAccepted = true;
    return result;
  }
}

/** Upper-cases and checks a series id before any request is spent on it. */
export function requireSeriesId(seriesId: string, endpoint: EndpointId): string {
  const id = seriesId.trim().toUpperCase();
  if (!FRED_SERIES_ID_RE.test(id)) throw new BadRequest(`invalid FRED series id ${JSON.stringify(seriesId)}`, { vendor: 'fred', endpoint });
  return id;
}

/** Optional inclusive date bounds, each a real date and in order. */
export function requireWindow(start: string | undefined, end: string | undefined, names: [string, string], endpoint: EndpointId): void {
  if (start !== undefined) requireDate(start, names[0], 'fred', endpoint);
  if (end !== undefined) requireDate(end, names[1], 'fred', endpoint);
  if (start !== undefined && end !== undefined) requireOrderedRange(start, end, 'fred', endpoint);
}
