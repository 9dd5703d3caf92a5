import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock/index.js';
import { driftBody, faultInjector, parseFaultSpec } from './faults.js';
import { createMarket } from './market/index.js';
import { SANDBOX_VENDORS, startSandbox } from './server.js';

const ctx = (vendor: 'polygon' | 'finnhub' | 'fmp' | 'alpaca') => ({ vendor, path: '/x', query: {}, requestNumber: 1 });
const BARS = JSON.stringify({ results: [{ T: 'AAA', v: 10, o: 1.5, c: 2 }, { T: 'BBB', v: 20, o: 3, c: 4 }], status: 'OK' });

describe('schema drift of a real answer', () => {
  it('drops, retypes or adds a field of the first record only', () => {
    expect(JSON.parse(driftBody(BARS, 'drift_missing')).results).toEqual([{ T: 'AAA', o: 1.5, c: 2 }, { T: 'BBB', v: 20, o: 3, c: 4 }]);
    expect(JSON.parse(driftBody(BARS, 'drift_retype')).results[0]).toEqual({ T: 'AAA', v: 'n/a', o: 1.5, c: 2 });
    expect(JSON.parse(driftBody(BARS, 'drift_extra')).results[0]).toEqual({ T: 'AAA', v: 10, o: 1.5, c: 2, x_added_field: 'new in v2' });
  });

  it('finds records nested under a symbol map (Alpaca bars) and leaves non-JSON and record-less bodies alone', () => {
    const alpaca = JSON.stringify({ bars: { AAA: [{ t: '2026-01-02T05:00:00Z', o: 1, c: 2 }] }, next_page_token: null });
    expect(JSON.parse(driftBody(alpaca, 'drift_missing')).bars.AAA[0]).toEqual({ t: '2026-01-02T05:00:00Z', c: 2 });
    expect(driftBody('<html>', 'drift_missing')).toBe('<html>');
    expect(driftBody('{"s":"ok","c":[1,2]}', 'drift_retype')).toBe('{"s":"ok","c":[1,2]}');
  });
});

describe('new fault kinds', () => {
  it('parses them, and refuses nodata for a vendor that never sends it', () => {
    expect(parseFaultSpec('polygon=drift_missing:0.5,alpaca=429retry,fmp=error200,finnhub=nodata,polygon=reset', SANDBOX_VENDORS).map((r) => r.kind)).toEqual([
      'drift_missing',
      '429retry',
      'error200',
      'nodata',
      'reset',
    ]);
    expect(() => parseFaultSpec('polygon=nodata', SANDBOX_VENDORS)).toThrow(/nodata is Finnhub's answer/);
  });

  it('answers each vendor’s own body: FMP error object and Finnhub no_data in HTTP 200, a 429 with Retry-After', () => {
    const inject = faultInjector(parseFaultSpec('fmp=error200,finnhub=nodata,polygon=429retry', SANDBOX_VENDORS), 1);
    const fmp = inject(ctx('fmp'));
    expect(fmp).toMatchObject({ kind: 'status', status: 200 });
    expect(fmp?.kind === 'status' && JSON.parse(fmp.body)).toHaveProperty('Error Message');
    expect(inject(ctx('finnhub'))).toMatchObject({ kind: 'status', status: 200, body: '{"s":"no_data"}' });
    expect(inject(ctx('polygon'))).toMatchObject({ kind: 'status', status: 429, headers: { 'retry-after': '7' } });
  });

  it('resets the connection, and drifts only 200 answers, on a running sandbox', async () => {
    const clock = new VirtualClock({ start: Date.parse('2026-11-20T15:00:00Z') });
    const market = createMarket({ seed: 3, symbols: 5, start: '2026-11-01', end: '2026-11-20' });
    let n = 0;
    const sandbox = await startSandbox({
      clock,
      market,
      faults: (c) => {
        n += 1;
        if (n === 1) return { kind: 'reset' };
        return faultInjector(parseFaultSpec('polygon=drift_extra', SANDBOX_VENDORS), 1)(c);
      },
    });
    try {
      const url = `${sandbox.baseUrls.polygon}/v2/aggs/grouped/locale/us/market/stocks/2026-11-19?adjusted=false&apiKey=k`;
      await expect(fetch(url)).rejects.toThrow(/fetch failed/);
      const ok = await fetch(url);
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as { results: Record<string, unknown>[] }).results[0]).toHaveProperty('x_added_field');
      const denied = await fetch(url.replace('apiKey=k', 'apiKey='));
      expect(denied.status).not.toBe(200);
      expect(await denied.text()).not.toContain('x_added_field');
      expect(sandbox.stats().polygon.byStatus[0]).toBe(1);
    } finally {
      await sandbox.close();
    }
  });
});
