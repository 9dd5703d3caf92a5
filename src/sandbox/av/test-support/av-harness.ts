import { readFileSync } from 'node:fs';
import { VirtualClock } from '../../../clock/index.js';
import type { Market } from '../../market/index.js';
import { NOW, testMarket } from '../../test-support/harness.js';
import { createAvEmulator, type AvCredentials, type AvEmulator, type AvPlan } from '../emulator.js';
import { serveEmulator, type StandaloneServer } from '../standalone.js';

export interface AvReply {
  status: number;
  headers: Headers;
  text: string;
  json<T>(): T;
}

export interface AvHarness {
  clock: VirtualClock;
  market: Market;
  emulator: AvEmulator;
  server: StandaloneServer;
  /** `GET /query` with these parameters; `apikey` is `avkey` unless given (null leaves it out). */
  query(params: Readonly<Record<string, string | undefined>>, init?: { key?: string | null; headers?: Record<string, string>; path?: string }): Promise<AvReply>;
  close(): Promise<void>;
}

/** No throttling: for tests about data rather than limits. */
export const UNLIMITED: Partial<AvPlan> = { requestsPerDay: Infinity, burstRequests: Infinity };

export async function startAv(options: { plan?: Partial<AvPlan>; credentials?: AvCredentials; now?: number; market?: Market } = {}): Promise<AvHarness> {
  const clock = new VirtualClock({ start: options.now ?? NOW });
  const market = options.market ?? testMarket();
  const emulator = createAvEmulator({ market, clock, plan: options.plan, credentials: options.credentials });
  const server = await serveEmulator(emulator);
  return {
    clock,
    market,
    emulator,
    server,
    async query(params, init = {}) {
      const url = new URL(`${server.url}${init.path ?? '/query'}`);
      for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
      const key = init.key === undefined ? 'avkey' : init.key;
      if (key !== null) url.searchParams.set('apikey', key);
      const res = await fetch(url, { headers: init.headers ?? {} });
      const text = await res.text();
      return { status: res.status, headers: res.headers, text, json: <T>() => JSON.parse(text) as T };
    },
    close: () => server.close(),
  };
}

/** A shared Alpha Vantage fixture, copied beside these tests. */
export function fixtureText(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

export function fixture<T = unknown>(name: string): T {
  return JSON.parse(fixtureText(name)) as T;
}

/** Keys in order and the typeof of every leaf; an array becomes the shape of its first element. */
export function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return [value.length === 0 ? 'empty' : shapeOf(value[0])];
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, shapeOf(v)]);
  }
  return value === null ? 'null' : typeof value;
}
