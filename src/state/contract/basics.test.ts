import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StateClosedError, type StateStore } from '../index.js';
import { T0, unit } from '../test-support/fixtures.js';
import { describeContract, type Scratch } from '../test-support/backends.js';

describeContract('state store basics', (backend) => {
  let store: StateStore;
  let scratch: Scratch;
  beforeEach(async () => {
    scratch = await backend.scratch();
    store = await scratch.open();
  });
  afterEach(async () => {
    await store.close();
    await scratch.dispose();
  });

  describe('bookmarks', () => {
    it('returns undefined until set, then the latest value', async () => {
      expect(await store.getBookmark('alpaca:equities_eod')).toBeUndefined();
      await store.setBookmark('alpaca:equities_eod', '2026-11-20', T0);
      await store.setBookmark('alpaca:equities_eod', '2026-11-23', T0 + 1);
      await store.setBookmark('fred:treasuries', '2026-11-21', T0);
      expect(await store.getBookmark('alpaca:equities_eod')).toBe('2026-11-23');
      expect(await store.getBookmark('fred:treasuries')).toBe('2026-11-21');
    });
  });

  describe('request accounting', () => {
    it('counts each request once per (vendor, day) and returns the running count', async () => {
      expect(await store.recordRequest('polygon', '2026-11-24', T0 + 1000)).toBe(1);
      expect(await store.recordRequest('polygon', '2026-11-24', T0 + 2000)).toBe(2);
      expect(await store.recordRequest('polygon', '2026-11-25', T0 + 86_400_000)).toBe(1);
      expect(await store.recordRequest('finnhub', '2026-11-24', T0 + 1500)).toBe(1);
      expect(await store.getSpend('polygon', '2026-11-24')).toBe(2);
      expect(await store.getSpend('polygon', '2026-11-25')).toBe(1);
      expect(await store.getSpend('finnhub', '2026-11-24')).toBe(1);
      expect(await store.getSpend('av', '2026-11-24')).toBe(0);
    });

    it('returns recent instants ascending from sinceMs (inclusive), per vendor', async () => {
      for (const at of [T0 + 30_000, T0 + 10_000, T0 + 20_000, T0 + 20_000]) await store.recordRequest('av', '2026-11-24', at);
      await store.recordRequest('fmp', '2026-11-24', T0 + 15_000);
      expect(await store.recentRequests('av', T0 + 20_000)).toEqual([T0 + 20_000, T0 + 20_000, T0 + 30_000]);
      expect(await store.recentRequests('av', T0)).toEqual([T0 + 10_000, T0 + 20_000, T0 + 20_000, T0 + 30_000]);
      expect(await store.recentRequests('fmp', T0)).toEqual([T0 + 15_000]);
    });

    it('prunes instants before a cutoff but keeps the daily spend', async () => {
      for (const at of [T0 + 1, T0 + 2, T0 + 3]) await store.recordRequest('fred', '2026-11-24', at);
      await store.pruneRequests(T0 + 3);
      expect(await store.recentRequests('fred', 0)).toEqual([T0 + 3]);
      expect(await store.getSpend('fred', '2026-11-24')).toBe(3);
    });
  });

  describe('vendor health', () => {
    it('stores, replaces and lists health rows', async () => {
      expect(await store.getVendorHealth('polygon')).toBeUndefined();
      const frozen = { vendor: 'polygon' as const, frozenUntilMs: T0 + 60_000, reason: 'HTTP 429 Retry-After 60', consecutiveErrors: 1, updatedAtMs: T0 };
      await store.setVendorHealth(frozen);
      expect(await store.getVendorHealth('polygon')).toEqual(frozen);
      const thawed = { vendor: 'polygon' as const, frozenUntilMs: null, reason: null, consecutiveErrors: 0, updatedAtMs: T0 + 61_000 };
      await store.setVendorHealth(thawed);
      await store.setVendorHealth({ vendor: 'alpaca', frozenUntilMs: T0 + 120_000, reason: 'circuit open: 5 network errors', consecutiveErrors: 5, updatedAtMs: T0 });
      expect(await store.getVendorHealth('polygon')).toEqual(thawed);
      expect((await store.listVendorHealth()).map((h) => [h.vendor, h.consecutiveErrors])).toEqual([
        ['alpaca', 5],
        ['polygon', 0],
      ]);
    });
  });

  describe('capability status', () => {
    it('upserts per (vendor, endpoint) and lists in order', async () => {
      await store.setCapabilityStatus({ vendor: 'av', endpoint: 'av.historical_options', status: 'denied', reason: 'premium endpoint', untilMs: null, updatedAtMs: T0 });
      await store.setCapabilityStatus({ vendor: 'alpaca', endpoint: 'alpaca.bars', status: 'available', reason: null, untilMs: null, updatedAtMs: T0 });
      await store.setCapabilityStatus({ vendor: 'av', endpoint: 'av.historical_options', status: 'available', reason: 're-verified', untilMs: T0 + 5, updatedAtMs: T0 + 1 });
      expect(await store.listCapabilityStatus()).toEqual([
        { vendor: 'alpaca', endpoint: 'alpaca.bars', status: 'available', reason: null, untilMs: null, updatedAtMs: T0 },
        { vendor: 'av', endpoint: 'av.historical_options', status: 'available', reason: 're-verified', untilMs: T0 + 5, updatedAtMs: T0 + 1 },
      ]);
    });
  });

  describe('bad symbols', () => {
    it('returns only unexpired entries of the vendor, and a re-mark replaces expiry and reason', async () => {
      await store.markBadSymbol({ vendor: 'polygon', symbol: 'ZZZZ', untilMs: T0 + 1000, reason: '404' });
      await store.markBadSymbol({ vendor: 'polygon', symbol: 'BRK.B', untilMs: T0 + 5000, reason: 'not found' });
      await store.markBadSymbol({ vendor: 'finnhub', symbol: 'ZZZZ', untilMs: T0 + 9000, reason: 'no_data' });
      expect((await store.badSymbols('polygon', T0)).map((b) => b.symbol)).toEqual(['BRK.B', 'ZZZZ']);
      expect(await store.badSymbols('polygon', T0 + 1000)).toEqual([{ vendor: 'polygon', symbol: 'BRK.B', untilMs: T0 + 5000, reason: 'not found' }]);
      await store.markBadSymbol({ vendor: 'polygon', symbol: 'ZZZZ', untilMs: T0 + 8000, reason: '404 again' });
      expect(await store.badSymbols('polygon', T0 + 6000)).toEqual([{ vendor: 'polygon', symbol: 'ZZZZ', untilMs: T0 + 8000, reason: '404 again' }]);
      expect(await store.badSymbols('alpaca', T0)).toEqual([]);
    });
  });

  describe('run log', () => {
    it('returns the newest entries first with filters, and prunes by age', async () => {
      await store.appendLog({ atMs: T0 + 1, level: 'info', event: 'unit.ran', vendor: 'alpaca', detail: { units: 3 } });
      await store.appendLog({ atMs: T0 + 2, level: 'warn', event: 'unit.deferred', vendor: 'polygon', detail: { reason: 'budget', nextAtMs: T0 + 60_000 } });
      await store.appendLog({ atMs: T0 + 3, level: 'info', event: 'unit.ran', vendor: 'polygon' });
      await store.appendLog({ atMs: T0 + 4, level: 'debug', event: 'cycle.idle' });
      expect((await store.recentLog(10)).map((e) => e.atMs)).toEqual([T0 + 4, T0 + 3, T0 + 2, T0 + 1]);
      expect(await store.recentLog(1)).toEqual([{ atMs: T0 + 4, level: 'debug', event: 'cycle.idle' }]);
      expect(await store.recentLog(10, { vendor: 'polygon' })).toEqual([
        { atMs: T0 + 3, level: 'info', event: 'unit.ran', vendor: 'polygon' },
        { atMs: T0 + 2, level: 'warn', event: 'unit.deferred', vendor: 'polygon', detail: { reason: 'budget', nextAtMs: T0 + 60_000 } },
      ]);
      expect((await store.recentLog(10, { event: 'unit.ran' })).map((e) => e.vendor)).toEqual(['polygon', 'alpaca']);
      expect((await store.recentLog(10, { event: 'unit.ran', vendor: 'alpaca' })).map((e) => e.detail)).toEqual([{ units: 3 }]);
      await store.pruneLog(T0 + 3);
      expect((await store.recentLog(10)).map((e) => e.atMs)).toEqual([T0 + 4, T0 + 3]);
    });
  });

  describe('instants', () => {
    it('keeps a fractional instant exactly as given (a pacer may compute now + 60000 / rpm)', async () => {
      const at = T0 + 60_000 / 7;
      await store.recordRequest('av', '2026-11-24', at);
      expect(await store.recentRequests('av', T0)).toEqual([at]);
      await store.enqueue([unit('later', { notBeforeMs: at, priority: 2.5 })], T0);
      expect((await store.listQueue())[0]).toMatchObject({ notBeforeMs: at, priority: 2.5 });
      expect(await store.claim({ owner: 'w', nowMs: at - 0.001, leaseMs: 1, limit: 1 })).toEqual([]);
      expect(await store.claim({ owner: 'w', nowMs: at, leaseMs: 0.5, limit: 1 })).toMatchObject([{ leaseExpiresAtMs: at + 0.5 }]);
    });
  });

  describe('close', () => {
    it('is idempotent and makes every later call reject with StateClosedError', async () => {
      const other = await scratch.open();
      await other.close();
      await other.close();
      await expect(other.getBookmark('k')).rejects.toBeInstanceOf(StateClosedError);
      await expect(other.claim({ owner: 'w', nowMs: T0, leaseMs: 1, limit: 1 })).rejects.toBeInstanceOf(StateClosedError);
    });
  });
});
