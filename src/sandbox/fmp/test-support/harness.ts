import { readFileSync } from 'node:fs';
import { VirtualClock } from '../../../clock/index.js';
import { createMarket, type Market } from '../../market/index.js';
import { createFmpEmulator, type FmpEmulatorOptions } from '../emulator.js';
import type { FmpPlan } from '../plan.js';
import { serveOnLoopback } from './loopback.js';

/** Wednesday 2026-06-03, 18:00 New York: that day's session has closed. */
export const NOW = Date.parse('2026-06-03T22:00:00Z');
export const LAST_SESSION = '2026-06-03';
export const KEY = 'fmp-test-key';

/** A plan with every gate open: what a paid key (or the sandbox demo) sees. */
export const OPEN_PLAN: Partial<FmpPlan> = {
  symbols: 'all',
  requestsPerDay: Infinity,
  bandwidthBytesPer30Days: Infinity,
  quarterlyStatements: true,
  statementLimitMax: null,
  delistedMaxPage: null,
  legacyAllowed: true,
  exclusivePaths: [],
};

let shared: Market | undefined;
/** One market for every FMP test (creation is deterministic, so sharing is safe). */
export function testMarket(): Market {
  shared ??= createMarket({ seed: 5, symbols: 60, start: '2024-01-02', end: '2026-06-30' });
  return shared;
}

export interface Reply {
  status: number;
  contentType: string;
  text: string;
  json<T>(): T;
}

export interface FmpHarness {
  clock: VirtualClock;
  market: Market;
  url: string;
  /** GET `path` with `params` and the key as `apikey` (none when `key` is null). */
  get(path: string, params?: Record<string, string>, key?: string | null): Promise<Reply>;
  close(): Promise<void>;
}

export async function startFmp(options: Partial<Omit<FmpEmulatorOptions, 'clock'>> & { now?: number } = {}): Promise<FmpHarness> {
  const clock = new VirtualClock({ start: options.now ?? NOW });
  const market = options.market ?? testMarket();
  const loopback = await serveOnLoopback(createFmpEmulator({ ...options, market, clock }));
  return {
    clock,
    market,
    url: loopback.url,
    async get(path, params = {}, key = KEY) {
      const url = new URL(`${loopback.url}${path}`);
      for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
      if (key !== null) url.searchParams.set('apikey', key);
      const res = await fetch(url);
      const text = await res.text();
      return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, json: <T>() => JSON.parse(text) as T };
    },
    close: () => loopback.close(),
  };
}

/** A captured payload from `fixtures/` (copied from the team's vendor fixtures). */
export function fixtureText(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

export function fixture<T>(name: string): T {
  return JSON.parse(fixtureText(name)) as T;
}

/** Keys in order with the JSON type of each value: what "same shape" means here. */
export function shapeOf(row: object): Array<[string, string]> {
  return Object.entries(row).map(([key, value]) => [key, value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value]);
}
