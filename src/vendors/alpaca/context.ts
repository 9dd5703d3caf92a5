import type { z } from 'zod';
import type { EndpointId } from '../../catalog/index.js';
import type { Clock } from '../../clock/index.js';
import { buildUrl, type HttpClient, type HttpResult, type QueryParams } from '../../http/index.js';
import { invariantBroken } from '../shared/index.js';

/** What every Alpaca fetcher needs: the transport, both hosts, the auth headers and the clock. */
export interface AlpacaContext {
  http: HttpClient;
  dataBaseUrl: string;
  tradingBaseUrl: string;
  /** `APCA-API-KEY-ID` / `APCA-API-SECRET-KEY`: auth travels in headers, never in a URL. */
  headers: Record<string, string>;
  clock: Clock;
}

/** An opaque page token seen twice means the vendor is looping: stop instead of spinning forever. */
export class TokenTracker {
  private readonly seen = new Set<string>();

  /** Returns the next token, or undefined at the end; throws via `onRepeat` on a repeat. */
  next(token: string | null | undefined, onRepeat: (token: string) => Error): string | undefined {
    if (token === null || token === undefined || token === '') return undefined;
    if (this.seen.has(token)) throw onRepeat(token);
    this.seen.add(token);
    return token;
  }
}

export interface TokenPagesRequest<T> {
  endpoint: EndpointId;
  path: string;
  /** Sent unchanged on every page (the notes' trap 4); `page_token` is appended after it. */
  query: QueryParams;
  schema: z.ZodType<T>;
  signal?: AbortSignal | undefined;
}

export interface TokenPage<T> {
  result: HttpResult<T>;
  /** 1-based page number within this request chain. */
  page: number;
}

/**
 * Every page of one `next_page_token` chain on the data host. The token is replayed with every
 * other parameter byte-identical; a repeated token ends the chain as Malformed.
 */
export async function* tokenPages<T extends { next_page_token?: string | null | undefined }>(ctx: AlpacaContext, request: TokenPagesRequest<T>): AsyncGenerator<TokenPage<T>> {
  const tokens = new TokenTracker();
  let pageToken: string | undefined;
  for (let page = 1; ; page += 1) {
    const url = buildUrl(ctx.dataBaseUrl, request.path, { ...request.query, page_token: pageToken });
    const result = await ctx.http.getJson(url, { endpoint: request.endpoint, headers: ctx.headers, schema: request.schema, signal: request.signal });
    yield { result, page };
    pageToken = tokens.next(result.body.next_page_token, (token) =>
      invariantBroken(result, 'alpaca', request.endpoint, `next_page_token repeated after ${page} page(s) (${token.length}-char token): the vendor is looping`),
    );
    if (pageToken === undefined) return;
  }
}
