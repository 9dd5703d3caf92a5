import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EquityBarRow } from '../catalog/index.js';
import { VirtualClock } from '../clock/index.js';
import { Lake } from '../lake/index.js';
import { BudgetExhausted, currentRequestOrigin } from '../pacing/index.js';
import { EntitlementDenied, NotFound } from '../http/index.js';
import { openStateStore, type StateStore, type UnitOrigin } from '../state/index.js';
import type { AlpacaClient } from '../vendors/index.js';
import { runVendorExecutor, type ExecutorOptions } from './executor.js';
import { alpacaBarsUnit } from './units.js';

const T0 = Date.UTC(2026, 10, 23, 23);
let dir: string;
let state: StateStore;
let lake: Lake;
let clock: VirtualClock;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'executor-'));
  clock = new VirtualClock({ start: T0 });
  state = await openStateStore(path.join(dir, 'state.sqlite'));
  lake = await Lake.open({ root: path.join(dir, 'lake'), clock });
});
afterEach(async () => {
  await state.close();
  await lake.close();
  await rm(dir, { recursive: true, force: true });
});

function bar(symbol: string, date: string): EquityBarRow {
  return { symbol, date, open: 1, high: 2, low: 0.5, close: 1.5, volume: 100, vwap: null, trades: null, feed: 'sip', adjusted: false, source_name: 'alpaca', source_uri: 'https://x/v2/stocks/bars', ingested_at: new Date(T0).toISOString() };
}

/** A fake Alpaca client: `body` runs inside the request (origin, pauses, refusals), then one page of bars for the symbols asked. */
function alpaca(body: (symbols: string[]) => Promise<void> = async () => undefined, seen: string[][] = []): AlpacaClient {
  return {
    async *streamDailyBars(params: { symbols: string[]; start: string }) {
      seen.push(params.symbols);
      await body(params.symbols);
      yield { rows: params.symbols.map((s) => bar(s, params.start)), page: 1, redactedUrl: 'https://x' };
    },
  } as unknown as AlpacaClient;
}

function executor(client: AlpacaClient, overrides: Partial<ExecutorOptions> = {}): Promise<ReturnType<typeof runVendorExecutor> extends Promise<infer R> ? R : never> {
  return runVendorExecutor({ vendor: 'alpaca', owner: 'node-a', clock, state, handlers: { lake, clients: { alpaca: client } }, leaseMs: 60_000, maxWaitMs: 60_000, maxAttempts: 3, ...overrides });
}

describe('executor', () => {
  it('settles a "nothing here" answer instead of dead-lettering it: a lone missing symbol is recorded as fetched-and-empty, an out-of-plan symbol as not served', async () => {
    await state.enqueue([alpacaBarsUnit(['NOPE'], '2026-11-20', '2026-11-20', 'backfill'), alpacaBarsUnit(['PAID'], '2026-11-19', '2026-11-19', 'backfill')], T0);
    const refuse = alpaca(async (symbols) => {
      if (symbols[0] === 'NOPE') throw new NotFound('no data for NOPE', { vendor: 'alpaca', endpoint: 'alpaca.bars', symbol: 'NOPE' });
      throw new EntitlementDenied('PAID is not in this plan', { vendor: 'alpaca', endpoint: 'alpaca.bars', scope: 'window' });
    });
    const report = await executor(refuse);
    expect(report).toMatchObject({ done: 2, skipped: 2, dead: 0, failed: 0 });
    expect((await state.queueStats(clock.now())).byStatus).toMatchObject({ done: 2, dead: 0 });
    expect((await state.badSymbols('alpaca', clock.now())).map((b) => b.symbol)).toEqual(['NOPE']);
    expect((await lake.readCoverage('equities_eod')).map((c) => [c.scope, c.rows])).toEqual([['NOPE', 0]]);
    expect((await state.recentLog(10, { event: 'unit.not_served' })).length).toBe(2);
    expect(await state.listCapabilityStatus()).toEqual([]);
  });

  it('retries a multi-symbol unit without the one symbol the vendor does not know', async () => {
    await state.enqueue([alpacaBarsUnit(['AAPL', 'NOPE'], '2026-11-20', '2026-11-20', 'backfill')], T0);
    const seen: string[][] = [];
    const client = alpaca(async (symbols) => {
      if (symbols.includes('NOPE')) throw new NotFound('unknown symbol NOPE', { vendor: 'alpaca', endpoint: 'alpaca.bars', symbol: 'NOPE' });
    }, seen);
    const report = await executor(client);
    expect(seen).toEqual([['AAPL', 'NOPE'], ['AAPL']]);
    expect(report).toMatchObject({ done: 1, dead: 0 });
    expect((await lake.readRaw('equities_eod')).map((r) => r.symbol)).toEqual(['AAPL']);
  });

  it('drops symbols the bad-symbol cache lists, and completes a unit with none left as skipped', async () => {
    await state.markBadSymbol({ vendor: 'alpaca', symbol: 'GONE', untilMs: T0 + 86_400_000, reason: 'not found' });
    await state.markBadSymbol({ vendor: 'alpaca', symbol: 'DEAD', untilMs: T0 + 86_400_000, reason: 'not found' });
    await state.enqueue([alpacaBarsUnit(['AAPL', 'GONE'], '2026-11-20', '2026-11-20', 'backfill'), alpacaBarsUnit(['DEAD', 'GONE'], '2026-11-19', '2026-11-19', 'backfill')], T0);
    const seen: string[][] = [];
    const report = await executor(alpaca(async () => undefined, seen));
    expect(seen).toEqual([['AAPL']]);
    expect(report).toMatchObject({ done: 2, skipped: 1, failed: 0, dead: 0 });
    expect((await state.queueStats(clock.now())).byStatus).toMatchObject({ done: 2, queued: 0 });
    const skipped = await state.recentLog(10, { event: 'unit.skipped' });
    expect(skipped[0]?.detail).toMatchObject({ symbols: ['DEAD', 'GONE'] });
    expect((await state.recentLog(10, { event: 'unit.done' }))[0]?.detail).toMatchObject({ rows: 1, badSymbolsSkipped: ['GONE'] });
  });

  it('runs the handler with its origin visible to the pacer (AsyncLocalStorage)', async () => {
    const origins: (UnitOrigin | undefined)[] = [];
    await state.enqueue([alpacaBarsUnit(['AAPL'], '2026-11-20', '2026-11-20', 'forward'), alpacaBarsUnit(['MSFT'], '2026-11-19', '2026-11-19', 'backfill')], T0);
    await executor(alpaca(async () => void origins.push(currentRequestOrigin())));
    expect(origins.sort()).toEqual(['backfill', 'forward']);
    expect(currentRequestOrigin()).toBeUndefined();
  });

  it('a budget refusal defers the unit to the time it names, with the reason, and drops nothing', async () => {
    await state.enqueue([alpacaBarsUnit(['AAPL'], '2026-11-20', '2026-11-20', 'backfill')], T0);
    const releaseAt = Date.UTC(2026, 10, 23, 23, 30);
    const refuse = alpaca(async () => {
      throw new BudgetExhausted('alpaca', 8, 8, Date.UTC(2026, 10, 24), { retryAtMs: releaseAt, scope: 'backfill' });
    });
    const report = await executor(refuse);
    expect(report).toMatchObject({ done: 0, deferred: 1, failed: 0 });
    const [unit] = await state.listQueue();
    expect(unit).toMatchObject({ status: 'queued', notBeforeMs: releaseAt, attempts: 0 });
    expect(unit?.deferReason).toMatch(/forward reserve/);
    expect((await state.recentLog(5, { event: 'unit.deferred' }))[0]?.detail).toMatchObject({ until: new Date(releaseAt).toISOString() });
  });

  it('fencing: a worker paused past its lease, whose unit another worker took, writes nothing and logs nothing as done', async () => {
    await state.enqueue([alpacaBarsUnit(['AAPL'], '2026-11-20', '2026-11-20', 'backfill')], T0);
    const paused = alpaca(async () => {
      await clock.sleep(90_000); // a GC pause, a suspended laptop: longer than the 60 s claim lease
      const [taken] = await state.claim({ owner: 'node-b', nowMs: clock.now(), leaseMs: 60_000, limit: 1 });
      expect(taken?.leaseOwner).toBe('node-b');
    });
    // maxWaitMs below node-b's lease: node-a stops instead of waiting to reclaim the unit.
    const report = await executor(paused, { maxWaitMs: 30_000 });
    expect(report).toMatchObject({ done: 0, lost: 1, failed: 0 });
    expect(await lake.listRawPartitions('equities_eod')).toEqual([]);
    expect(await state.recentLog(10, { event: 'unit.done' })).toEqual([]);
    expect((await state.recentLog(10, { event: 'unit.claim_lost' }))[0]?.detail).toMatchObject({ step: 'write', owner: 'node-a' });
    expect((await state.listQueue())[0]).toMatchObject({ status: 'leased', leaseOwner: 'node-b' });
  });

  it('fencing: an expired claim nobody took is not committed either; a live one is renewed at each write', async () => {
    await state.enqueue([alpacaBarsUnit(['AAPL'], '2026-11-20', '2026-11-20', 'backfill'), alpacaBarsUnit(['MSFT'], '2026-11-19', '2026-11-19', 'backfill')], T0);
    let calls = 0;
    const report = await executor(
      alpaca(async () => {
        calls += 1;
        await clock.sleep(calls === 1 ? 61_000 : 59_000);
      }),
    );
    // The first claim expired mid-run: its write was refused; the unit was claimed again and done then.
    expect(report).toMatchObject({ done: 2, lost: 1 });
    expect(calls).toBe(3);
    expect((await lake.listRawPartitions('equities_eod')).map((p) => p.date).sort()).toEqual(['2026-11-19', '2026-11-20']);
    expect((await state.listQueue()).map((u) => [u.identity.includes('2026-11-20'), u.attempts])).toContainEqual([true, 2]);
  });
});
