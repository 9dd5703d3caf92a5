import { VirtualClock } from '../../clock/index.js';
import { createMarket, type Market } from '../market/index.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../server.js';

/** Wednesday 2026-06-03, 18:00 New York: that day's session has closed. */
export const NOW = Date.parse('2026-06-03T22:00:00Z');
export const LAST_SESSION = '2026-06-03';

/** One market for every emulator test file (creation is deterministic, so sharing is safe). */
export function testMarket(): Market {
  return createMarket({ seed: 5, symbols: 60, start: '2024-01-02', end: '2026-06-30' });
}

export interface Harness {
  clock: VirtualClock;
  market: Market;
  sandbox: Sandbox;
  alpaca(pathAndQuery: string, headers?: Record<string, string>): Promise<Reply>;
  polygon(pathAndQuery: string, init?: { headers?: Record<string, string>; key?: string | null }): Promise<Reply>;
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed body, typed by the caller (throws on malformed JSON only when read). */
  json<T>(): T;
}

export const ALPACA_HEADERS = { 'APCA-API-KEY-ID': 'PKTEST', 'APCA-API-SECRET-KEY': 'secret' };

export async function startHarness(options: Partial<SandboxOptions> & { market?: Market; now?: number } = {}): Promise<Harness> {
  const clock = new VirtualClock({ start: options.now ?? NOW });
  const market = options.market ?? testMarket();
  const sandbox = await startSandbox({ ...options, clock, market });
  const get = async (url: string, headers: Record<string, string>): Promise<Reply> => {
    const res = await fetch(url, { headers });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: <T>() => JSON.parse(text) as T };
  };
  return {
    clock,
    market,
    sandbox,
    alpaca: (pathAndQuery, headers = ALPACA_HEADERS) => get(`${sandbox.baseUrls.alpacaData}${pathAndQuery}`, headers),
    polygon: (pathAndQuery, init = {}) => {
      const key = init.key === undefined ? 'polykey' : init.key;
      const url = new URL(`${sandbox.baseUrls.polygon}${pathAndQuery}`);
      if (key !== null) url.searchParams.set('apiKey', key);
      return get(url.toString(), init.headers ?? {});
    },
  };
}

/** Path and query of a vendor `next_url`, to replay on the sandbox host (as connectors re-base it). */
export function pathOf(nextUrl: string): string {
  const url = new URL(nextUrl);
  return `${url.pathname}${url.search}`;
}
