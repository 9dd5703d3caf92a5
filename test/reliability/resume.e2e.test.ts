import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/index.js';
import { runDemo, type DemoSummary } from '../../src/cli/demo.js';
import { BudgetExhausted, nextUtcMidnight, Pacer } from '../../src/pacing/index.js';
import { openStateStore } from '../../src/state/index.js';
import { describeBackends, type ProvisionedBackend } from '../support/backends.js';
import { removeDir, shortWindowConfigs, tempDir } from '../support/cli.js';
import { fingerprint, type LakeFingerprint } from './support/fingerprint.js';

/** Resume semantics (resume from every kind of checkpoint after a SIGKILL: crash-points.e2e.test.ts). */
const AS_OF = '2026-11-20';
const PARAMS = { asOf: AS_OF, symbols: 20, seed: 42 };
const requests = (summary: DemoSummary): number => summary.vendors.reduce((n, v) => n + v.requests, 0);

describeBackends('resume', (backend) => {
  let storage: ProvisionedBackend;
  let configs: string;
  let dataDir: string;
  let first: DemoSummary;
  let firstLake: LakeFingerprint;
  let firstRaw: string[];

  beforeAll(async () => {
    storage = await backend.provision();
    configs = await shortWindowConfigs(20);
    dataDir = await tempDir('resume');
    first = (await runDemo({ dataDir, configDir: configs, params: PARAMS, fresh: false, env: storage.env })).summary;
    firstLake = await fingerprint(storage, dataDir);
    firstRaw = await rawRowsThrough(first.window.end);
  }, 600_000);
  afterAll(async () => {
    await Promise.all([removeDir(configs), removeDir(dataDir), storage?.dispose()]);
  });

  async function setVirtualNow(ms: number): Promise<void> {
    const state = await storage.openState(dataDir);
    await state.setBookmark('demo.virtual_now', String(ms), ms);
    await state.close();
  }

  /** Raw bars (lineage excluded) of sessions up to `end`, sorted. */
  async function rawRowsThrough(end: string): Promise<string[]> {
    const lake = await storage.openLake(dataDir);
    try {
      const rows = await lake.readRaw('equities_eod', { end });
      return rows.map((r) => `${r.source_name}|${r.symbol}|${r.date}|${r.open}|${r.high}|${r.low}|${r.close}|${r.volume}`).sort();
    } finally {
      await lake.close();
    }
  }

  it('replaying a finished run makes 0 vendor calls and leaves the lake as it was', async () => {
    expect(requests(first)).toBeGreaterThan(0);
    const again = (await runDemo({ dataDir, configDir: configs, params: PARAMS, fresh: false, env: storage.env })).summary;
    expect(requests(again)).toBe(0);
    expect(again.ledger).toEqual(first.ledger);
    expect(await fingerprint(storage, dataDir)).toEqual(firstLake);
  });

  it('a resume bookmark later the same day makes 0 calls and no error', async () => {
    await setVirtualNow(Date.parse(`${AS_OF}T19:30:00Z`)); // 14:30 New York, before the close
    const later = (await runDemo({ dataDir, configDir: configs, params: PARAMS, fresh: false, env: storage.env })).summary;
    expect(requests(later)).toBe(0);
    expect(later.ledger).toEqual(first.ledger);
    expect(await fingerprint(storage, dataDir)).toEqual(firstLake);
  });

  it('a resume bookmark days in the future: no error, and what the lake held is unchanged', async () => {
    const future = Date.parse(`${AS_OF}T12:00:00Z`) + 3 * 86_400_000;
    await setVirtualNow(future);
    const enqueued: string[] = [];
    const later = (
      await runDemo({
        dataDir,
        configDir: configs,
        params: PARAMS,
        fresh: false,
        env: storage.env,
        observe: () => (event) => {
          if (event.kind === 'enqueued') enqueued.push(`${event.phase}:${event.units}`);
        },
      })
    ).summary;
    expect(Date.parse(later.virtualStart)).toBe(future);
    expect(later.vendors.every((v) => v.unitsFailed === 0 && v.unitsDead === 0)).toBe(true);
    // Time really moved: the window now ends later and the new New York day's work is queued; what the
    // lake already held for the old window is unchanged.
    expect(later.window.end > first.window.end).toBe(true);
    expect(enqueued.length).toBeGreaterThan(0);
    const held = await rawRowsThrough(first.window.end);
    expect(held).toEqual(firstRaw);
  }, 600_000);
});

describe('a spent daily budget survives a restart', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'trademl-budget-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('Alpha Vantage 25/day: spend it, restart, the next call is refused until both daily counters turn over', async () => {
    const file = path.join(dir, 'state.sqlite');
    const clock = new VirtualClock({ start: Date.parse('2026-11-20T15:00:00Z') });
    const limits = { av: { rpm: 5, dailyBudget: 25 } };
    const before = await openStateStore(file);
    const pacer = await Pacer.create({ clock, state: before, limits });
    for (let i = 0; i < 25; i += 1) await pacer.acquire('av', 'av.time_series_daily');
    await expect(pacer.acquire('av', 'av.time_series_daily')).rejects.toBeInstanceOf(BudgetExhausted);
    await pacer.flush();
    await before.close();

    const after = await openStateStore(file);
    try {
      const restarted = await Pacer.create({ clock, state: after, limits });
      const refused = await restarted.acquire('av', 'av.time_series_daily').catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(BudgetExhausted);
      expect((refused as Error).message).toMatch(/av/);
      // 00:00 UTC is 19:00 in New York, whose day still holds the 25: refused again, told New York's midnight.
      clock.advanceTo(nextUtcMidnight(clock.now()));
      const stillRefused = await restarted.acquire('av', 'av.time_series_daily').catch((e: unknown) => e);
      expect(stillRefused).toBeInstanceOf(BudgetExhausted);
      expect((stillRefused as BudgetExhausted).retryAtMs).toBe(Date.parse('2026-11-21T05:00:00Z'));
      expect((refused as BudgetExhausted).retryAtMs).toBe(Date.parse('2026-11-21T05:00:00Z'));
      clock.advanceTo((stillRefused as BudgetExhausted).retryAtMs);
      await restarted.acquire('av', 'av.time_series_daily');
      expect((await restarted.snapshot()).find((s) => s.vendor === 'av')?.spentToday).toBe(1);
    } finally {
      await after.close();
    }
  });
});
