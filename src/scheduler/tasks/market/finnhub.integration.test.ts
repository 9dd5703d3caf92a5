import { afterEach, describe, expect, it } from 'vitest';
import { nyInstant } from '../../../calendar/index.js';
import { optionChain, optionUnderlyings } from '../../../sandbox/index.js';
import { finnhubOptionsPlanner } from './chains.js';
import { finnhubDailyPlanner, finnhubSymbolsPlanner } from './finnhub.js';
import { startPipeline, withTask, type Pipeline } from './test-support/pipeline.js';

const NOW = nyInstant('2026-06-03', '18:00'); // a Wednesday

let pipeline: Pipeline | undefined;
afterEach(async () => {
  await pipeline?.close();
  pipeline = undefined;
});

describe('finnhub_symbols in the sandbox', () => {
  it('fetches the listing at most once per ISO week', async () => {
    const p = (pipeline = await startPipeline({ nowMs: NOW, vendors: ['finnhub'] }));
    expect(await p.plan(finnhubSymbolsPlanner)).toEqual(['finnhub.symbols|symbols|week=2026-W23']);
    await p.drain('finnhub');
    expect((await p.runtime.lake.readReference('symbols', { vendors: ['finnhub'] })).length).toBeGreaterThan(0);
    expect(await finnhubSymbolsPlanner.plan(p.context())).toEqual([]);
    p.clock.advanceTo(nyInstant('2026-06-07', '12:00')); // Sunday, same week
    expect(await finnhubSymbolsPlanner.plan(p.context())).toEqual([]);
    p.clock.advanceTo(nyInstant('2026-06-08', '09:00')); // Monday: a new week
    expect(await p.plan(finnhubSymbolsPlanner)).toEqual(['finnhub.symbols|symbols|week=2026-W24']);
  });
});

describe('finnhub_options in the sandbox (Alpaca not configured)', () => {
  it('probes, then snapshots every target underlier once for the session', async () => {
    const p = (pipeline = await startPipeline({ nowMs: NOW, vendors: ['finnhub'] }));
    const underliers = optionUnderlyings(p.market).slice(0, 3);
    p.runtime.config = withTask(p.runtime.config, { name: 'finnhub_options', enabled: true, underliers });
    expect(await p.plan(finnhubOptionsPlanner)).toEqual([`finnhub.option_chain|options_chain|symbols=${underliers[0]}|as-of=2026-06-03`]);
    await p.drain('finnhub');
    expect(await p.plan(finnhubOptionsPlanner)).toHaveLength(2);
    await p.drain('finnhub');
    expect(await finnhubOptionsPlanner.plan(p.context())).toEqual([]);
    const rows = await p.runtime.lake.query<{ underlying: string; n: number }>(
      `SELECT underlying, count(DISTINCT contract)::INTEGER AS n FROM raw_options_chain WHERE date = DATE '2026-06-03' GROUP BY ALL ORDER BY ALL`,
    );
    expect(rows.map((r) => r.underlying)).toEqual([...underliers].sort());
    for (const r of rows) expect(r.n).toBe(optionChain(p.market, r.underlying, '2026-06-03').length);
  });

  it('stops after one refused probe', async () => {
    const p = (pipeline = await startPipeline({ nowMs: NOW, vendors: ['finnhub'], plans: { finnhub: { optionChain: false } } }));
    p.runtime.config = withTask(p.runtime.config, { name: 'finnhub_options', enabled: true, underliers: optionUnderlyings(p.market).slice(0, 3) });
    expect(await p.plan(finnhubOptionsPlanner)).toHaveLength(1);
    await p.drain('finnhub');
    expect((await p.runtime.state.listCapabilityStatus()).map((s) => [s.endpoint, s.status])).toEqual([['finnhub.option_chain', 'denied']]);
    expect(await finnhubOptionsPlanner.plan(p.context())).toEqual([]);
  });
});

describe('finnhub_daily in the sandbox', () => {
  it('is idle while edge.yml keeps it disabled', async () => {
    const p = (pipeline = await startPipeline({ nowMs: NOW, vendors: ['finnhub'] }));
    expect(await finnhubDailyPlanner.plan(p.context())).toEqual([]);
  });

  it('enabled on a free key: one refused request records the capability denied, then nothing is planned', async () => {
    const p = (pipeline = await startPipeline({ nowMs: NOW, vendors: ['finnhub'], config: (c) => withTask(c, { name: 'finnhub_daily', enabled: true }) }));
    p.runtime.settings = { ...p.runtime.settings, enabledEndpoints: new Set([...p.runtime.settings.enabledEndpoints, 'finnhub.candle.daily']) };
    expect(await p.plan(finnhubDailyPlanner)).toHaveLength(1);
    expect((await p.drain('finnhub')).dead).toBe(1);
    expect((await p.runtime.state.listCapabilityStatus()).map((s) => [s.endpoint, s.status])).toEqual([['finnhub.candle.daily', 'denied']]);
    expect(await finnhubDailyPlanner.plan(p.context())).toEqual([]);
    expect(p.sandbox.stats().finnhub.requests).toBe(1);
  });

  it('enabled on a paid key: repairs each symbol with one request over its missing sessions, then owes nothing', async () => {
    const p = (pipeline = await startPipeline({ nowMs: NOW, vendors: ['finnhub'], symbols: 4, plans: { finnhub: { candles: true } }, config: (c) => withTask(c, { name: 'finnhub_daily', enabled: true }) }));
    const eod = { ...p.runtime.settings.eod, lookbackDays: 14 };
    p.runtime.settings = { ...p.runtime.settings, eod, enabledEndpoints: new Set([...p.runtime.settings.enabledEndpoints, 'finnhub.candle.daily']) };
    expect(await p.plan(finnhubDailyPlanner)).toHaveLength(1); // the probe
    await p.drain('finnhub');
    const rest = await p.plan(finnhubDailyPlanner);
    expect(rest.length).toBe(p.universe.length - 1);
    await p.drain('finnhub');
    expect(await finnhubDailyPlanner.plan(p.context())).toEqual([]);
    const symbols = await p.runtime.lake.query<{ n: number }>('SELECT count(DISTINCT symbol)::INTEGER AS n FROM raw_equities_eod');
    expect(symbols[0]?.n).toBeGreaterThan(0);
  });
});
