import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../clock/index.js';
import { createAlpacaEmulator, type AlpacaCredentials, type AlpacaPlan } from './alpaca/index.js';
import type { Market } from './market/index.js';
import { createPolygonEmulator, type PolygonCredentials, type PolygonPlan } from './polygon/index.js';
import { createAvEmulator, type AvCredentials, type AvPlan } from './av/index.js';
import { createFinnhubEmulator, FINNHUB_BASE_PATH, type FinnhubPlan } from './finnhub/index.js';
import { createFredEmulator, type FredCredentials, type FredPlan } from './fred/index.js';
import { createFmpEmulator, fmpMarketSample, type FmpCredentials, type FmpPlan } from './fmp/index.js';
import { redactedPathOf, type Emulator, type EmulatorResponse } from './shared/http.js';
import { listen, safely, send, shutdown, toEmulatorRequest, type VendorServer } from './shared/serve.js';

/** Vendors the sandbox emulates, in the order their servers start. */
export const SANDBOX_VENDORS = ['alpaca', 'polygon', 'finnhub', 'av', 'fmp', 'fred'] as const;
export type SandboxVendor = (typeof SANDBOX_VENDORS)[number];

export interface FaultContext {
  vendor: SandboxVendor;
  /** URL path, without the query. */
  path: string;
  /** Query parameters, last value wins (keys included: the injector runs inside the test). */
  query: Readonly<Record<string, string>>;
  /** 1-based count of requests this vendor's server has received, this one included. */
  requestNumber: number;
}

export type Fault =
  | { kind: 'status'; status: number; body: string; headers?: Record<string, string> }
  /** Never answers; the connection stays open until the client gives up or the sandbox closes. */
  | { kind: 'hang' }
  /** Answers normally but cuts the body in half (malformed JSON with a consistent Content-Length). */
  | { kind: 'truncate' }
  /** Destroys the connection without answering (the client sees a connection reset). */
  | { kind: 'reset' }
  /** Answers normally with the body passed through `rewrite` (schema drift of a real answer). */
  | { kind: 'rewrite'; label: string; rewrite: (body: string) => string };

export type FaultInjector = (ctx: FaultContext) => Fault | undefined;

export interface SandboxOptions {
  clock: Clock;
  market: Market;
  host?: string;
  /** Fixed ports (the CLI's --port-base); ephemeral when omitted. */
  ports?: Partial<Record<SandboxVendor, number>>;
  /** When omitted, any non-empty credential is accepted (a missing one is still rejected). */
  credentials?: { alpaca?: AlpacaCredentials; polygon?: PolygonCredentials; finnhub?: { apiKey: string }; av?: AvCredentials; fmp?: FmpCredentials; fred?: FredCredentials };
  /** Free-tier limits, overridable per vendor. */
  plans?: { alpaca?: Partial<AlpacaPlan>; polygon?: Partial<PolygonPlan>; finnhub?: Partial<FinnhubPlan>; av?: Partial<AvPlan>; fmp?: Partial<FmpPlan>; fred?: Partial<FredPlan> };
  faults?: FaultInjector;
}

export interface VendorStats {
  requests: number;
  byStatus: Record<number, number>;
  rateLimited: number;
}

export interface RequestLogEntry {
  vendor: SandboxVendor;
  atMs: number;
  method: string;
  /** Path and query with key values replaced by REDACTED. */
  path: string;
  /** HTTP status sent; 0 for a request left hanging by a fault. */
  status: number;
}

export interface Sandbox {
  /** Base URL of each vendor's server, as a connector's TRADEML_<VENDOR>_BASE_URL takes it. */
  baseUrls: { alpacaData: string; alpacaTrading: string; polygon: string; finnhub: string; av: string; fmp: string; fred: string };
  /** The environment that points connectors at this sandbox. */
  env(): Record<string, string>;
  stats(): Record<SandboxVendor, VendorStats>;
  requestLog(): RequestLogEntry[];
  close(): Promise<void>;
}

/**
 * Plans with every request-rate limit lifted (history windows, entitlements and error bodies stay
 * as on the free tiers), for local development and tests that call many endpoints in real time.
 */
export const RELAXED_PLANS: NonNullable<SandboxOptions['plans']> = {
  alpaca: { requestsPerMinute: Number.POSITIVE_INFINITY },
  polygon: { requestsPerMinute: Number.POSITIVE_INFINITY },
  finnhub: { requestsPerMinute: Number.POSITIVE_INFINITY, requestsPerSecond: Number.POSITIVE_INFINITY },
  av: { requestsPerDay: Number.POSITIVE_INFINITY, burstRequests: Number.POSITIVE_INFINITY },
  fmp: { requestsPerDay: Number.POSITIVE_INFINITY },
  fred: { requestsPerMinute: Number.POSITIVE_INFINITY, requestsPerSecond: Number.POSITIVE_INFINITY },
};

/** Starts one loopback HTTP server per vendor over one simulated market and one clock. */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  const { clock, market } = options;
  const log: RequestLogEntry[] = [];
  const stats = Object.fromEntries(SANDBOX_VENDORS.map((v) => [v, emptyStats()])) as Record<SandboxVendor, VendorStats>;
  const counters = Object.fromEntries(SANDBOX_VENDORS.map((v) => [v, 0])) as Record<SandboxVendor, number>;
  const av = createAvEmulator({ market, clock, credentials: options.credentials?.av, plan: options.plans?.av });
  const emulators: Record<SandboxVendor, Emulator> = {
    alpaca: createAlpacaEmulator({ market, clock, credentials: options.credentials?.alpaca, plan: options.plans?.alpaca }),
    polygon: createPolygonEmulator({ market, clock, credentials: options.credentials?.polygon, plan: options.plans?.polygon }),
    finnhub: createFinnhubEmulator({ market, clock, credentials: options.credentials?.finnhub, plan: options.plans?.finnhub }),
    av,
    // A free FMP key serves only a sample of symbols (others get the 402 premium-symbol body);
    // the sandbox's sample is drawn from its own market so both kinds of answer occur.
    fmp: createFmpEmulator({ market, clock, credentials: options.credentials?.fmp, plan: { symbols: fmpMarketSample(market), ...options.plans?.fmp } }),
    fred: createFredEmulator({ market, clock, credentials: options.credentials?.fred, plan: options.plans?.fred }),
  };
  // Alpha Vantage refuses with HTTP 200 bodies: its throttles are counted by the emulator itself.
  const throttledInBody: Partial<Record<SandboxVendor, () => number>> = {
    av: () => av.usage().dailyLimited + av.usage().burstLimited,
  };

  function serve(vendor: SandboxVendor, req: IncomingMessage, res: ServerResponse): void {
    const request = toEmulatorRequest(req);
    counters[vendor] += 1;
    const record = (status: number): void => {
      log.push({ vendor, atMs: clock.now(), method: request.method, path: redactedPathOf(request.path, request.query), status });
      const s = stats[vendor];
      s.requests += 1;
      s.byStatus[status] = (s.byStatus[status] ?? 0) + 1;
      if (status === 429) s.rateLimited += 1;
    };
    const fault = options.faults?.({ vendor, path: request.path, query: Object.fromEntries(request.query), requestNumber: counters[vendor] });
    if (fault?.kind === 'hang' || fault?.kind === 'reset') {
      record(0);
      if (fault.kind === 'reset') req.socket.destroy();
      return;
    }
    let response: EmulatorResponse;
    if (fault?.kind === 'status') {
      response = { status: fault.status, body: fault.body, headers: { 'content-type': 'application/json; charset=utf-8', ...fault.headers } };
    } else {
      response = safely(() => emulators[vendor].handle(request));
      if (fault?.kind === 'truncate') response = { ...response, body: response.body.slice(0, Math.floor(response.body.length / 2)) };
      if (fault?.kind === 'rewrite' && response.status === 200) response = { ...response, body: fault.rewrite(response.body) };
    }
    record(response.status);
    send(res, response);
  }

  const servers: Partial<Record<SandboxVendor, VendorServer>> = {};
  try {
    for (const vendor of SANDBOX_VENDORS) {
      servers[vendor] = await listen((req, res) => serve(vendor, req, res), host, options.ports?.[vendor] ?? 0);
    }
  } catch (error) {
    await Promise.all(Object.values(servers).map(shutdown));
    throw error;
  }
  const urlOf = (vendor: SandboxVendor): string => (servers[vendor] as VendorServer).url;
  const baseUrls = {
    alpacaData: urlOf('alpaca'),
    alpacaTrading: urlOf('alpaca'),
    polygon: urlOf('polygon'),
    // Finnhub's base URL carries its version prefix, like the real https://finnhub.io/api/v1.
    finnhub: `${urlOf('finnhub')}${FINNHUB_BASE_PATH}`,
    av: urlOf('av'),
    fmp: urlOf('fmp'),
    fred: urlOf('fred'),
  };
  let closed: Promise<void> | undefined;

  return {
    baseUrls,
    env: () => ({
      TRADEML_ALPACA_DATA_BASE_URL: baseUrls.alpacaData,
      TRADEML_ALPACA_TRADING_BASE_URL: baseUrls.alpacaTrading,
      TRADEML_POLYGON_BASE_URL: baseUrls.polygon,
      TRADEML_FINNHUB_BASE_URL: baseUrls.finnhub,
      TRADEML_AV_BASE_URL: baseUrls.av,
      TRADEML_FMP_BASE_URL: baseUrls.fmp,
      TRADEML_FRED_BASE_URL: baseUrls.fred,
    }),
    stats: () =>
      Object.fromEntries(
        SANDBOX_VENDORS.map((v) => {
          const copy = copyStats(stats[v]);
          copy.rateLimited += throttledInBody[v]?.() ?? 0;
          return [v, copy];
        }),
      ) as Record<SandboxVendor, VendorStats>,
    requestLog: () => log.map((entry) => ({ ...entry })),
    close: () => (closed ??= Promise.all(Object.values(servers).map(shutdown)).then(() => undefined)),
  };
}

function emptyStats(): VendorStats {
  return { requests: 0, byStatus: {}, rateLimited: 0 };
}

function copyStats(s: VendorStats): VendorStats {
  return { requests: s.requests, byStatus: { ...s.byStatus }, rateLimited: s.rateLimited };
}
