import type { Clock } from '../../clock/index.js';
import type { HttpClient } from '../../http/index.js';

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
