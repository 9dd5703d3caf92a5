import type { z } from 'zod';
import type { EndpointId } from '../../catalog/index.js';
import type { Clock } from '../../clock/index.js';
import { rebaseUrl, type HttpClient, type HttpResult } from '../../http/index.js';
import { invariantBroken } from '../shared/index.js';

/** A ticker we are willing to store: no control characters, spaces or path tricks (issues #3/#138). */
export const POLYGON_TICKER_RE = /^[A-Z0-9][A-Za-z0-9.\-]{0,19}$/;
/** A pagination chain longer than this is a vendor loop, not data. */
const MAX_PAGES = 10_000;

export interface SkippedRow {
  endpoint: EndpointId;
  /** The offending value, JSON-quoted so control characters stay visible in logs. */
  value: string;
  reason: string;
}

export interface PolygonContext {
  http: HttpClient;
  baseUrl: string;
  /** `Authorization: Bearer <key>`: next_url never carries the key, the header is re-sent on every page. */
  headers: Record<string, string>;
  clock: Clock;
  onSkip: (skipped: SkippedRow) => void;
}

interface PageOptions<T> {
  endpoint: EndpointId;
  schema: z.ZodType<T>;
  signal?: AbortSignal | undefined;
  /** Aggregates: re-append `adjusted=false` if a next_url dropped it (vendors/polygon.md §3.2). */
  keepUnadjusted?: boolean;
}

/**
 * Every page of a `next_url` chain. Each link is re-based onto the configured host (path + query
 * kept, origin dropped), any key in it is removed (auth travels in the header), and a link seen
 * twice ends the chain as Malformed instead of looping.
 */
export async function* pages<T extends { next_url?: string | null | undefined }>(ctx: PolygonContext, first: URL, options: PageOptions<T>): AsyncGenerator<HttpResult<T>> {
  const seen = new Set<string>([first.href]);
  let url: URL | undefined = first;
  for (let page = 1; url !== undefined; page += 1) {
    const result: HttpResult<T> = await ctx.http.getJson(url, { endpoint: options.endpoint, headers: ctx.headers, schema: options.schema, signal: options.signal });
    yield result;
    const link = result.body.next_url;
    if (link === undefined || link === null || link === '') return;
    url = followLink(ctx, link, options.keepUnadjusted === true);
    if (seen.has(url.href) || page >= MAX_PAGES) throw invariantBroken(result, 'polygon', options.endpoint, `next_url chain loops after ${page} page(s)`);
    seen.add(url.href);
  }
}

export function followLink(ctx: Pick<PolygonContext, 'baseUrl'>, link: string, keepUnadjusted: boolean): URL {
  const url = rebaseUrl(link, ctx.baseUrl);
  const pairs = url.search.replace(/^\?/, '').split('&').filter((pair) => pair !== '' && !/^api_?key=/i.test(pair));
  if (keepUnadjusted && !pairs.some((pair) => pair.startsWith('adjusted='))) pairs.push('adjusted=false');
  url.search = pairs.join('&');
  return url;
}
