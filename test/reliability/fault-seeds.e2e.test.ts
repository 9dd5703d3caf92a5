import { afterAll, beforeAll, expect, it } from 'vitest';
import { addDays } from '../../src/calendar/index.js';
import { runDemo } from '../../src/cli/demo.js';
import { createMarket, faultInjector, parseFaultSpec, SANDBOX_VENDORS, type FaultInjector } from '../../src/sandbox/index.js';
import { describeBackends, visibleStagingKeys } from '../support/backends.js';
import { removeDir, shortWindowConfigs, tempDir } from '../support/cli.js';
import { LONG, seededRandom } from './support/fingerprint.js';
import { validateLakeRows } from './support/validate.js';

/**
 * Seeded fault runs: the whole demo pipeline on the virtual clock with a seed-chosen mix of vendor
 * faults on both of its vendors. A failing seed names the exact replay command.
 */
const AS_OF = '2026-11-20';
const SYMBOLS = 20;
const LOOKBACK = 30;
const SEEDS = LONG ? 100 : 20;
/**
 * PostgreSQL + S3 runs a representative subset (the full set runs on SQLite + file): two plain
 * seeds, one with a hang (every fifth seed) and one more, i.e. 4 of the 20 default seeds.
 */
const REMOTE_SEEDS = LONG ? [1, 2, 5, 7, 10, 13, 15, 20] : [1, 2, 5, 7];
const KINDS = ['5xx', 'reset', 'html', '429', '429retry', 'error200', 'truncate', 'drift_missing', 'drift_retype', 'drift_extra'] as const;
/**
 * Drift that breaks a field the pipeline reads: a bar answer losing or retyping a price or volume.
 * Each must end in quarantine, never in raw/. (Drift of a field no connector reads, e.g. an asset's
 * margin requirement, is rightly ignored.)
 */
const BREAKING = new Set(['drift_missing', 'drift_retype']);
const BAR_PATHS = /^\/v2\/(stocks\/bars|aggs\/)/;

/** 3–5 kinds per vendor at 2–8 % each, and a hang (5 s of real time each) on every fifth seed. */
function specFor(seed: number): string {
  const random = seededRandom(seed * 7919);
  const rules: string[] = [];
  for (const vendor of ['alpaca', 'polygon']) {
    const kinds = [...KINDS].sort(() => random() - 0.5).slice(0, 3 + Math.floor(random() * 3));
    for (const kind of kinds) rules.push(`${vendor}=${kind}:${(0.02 + random() * 0.06).toFixed(3)}`);
  }
  if (seed % 5 === 0) rules.push('polygon=hang:0.01');
  return rules.join(',');
}

let configs: string;
beforeAll(async () => {
  configs = await shortWindowConfigs(LOOKBACK);
});
afterAll(async () => {
  await removeDir(configs);
});

describeBackends(`demo under seeded vendor faults (all ${SEEDS} seeds on sqlite+file; seeds ${REMOTE_SEEDS.join(', ')} on postgres+s3)`, (backend) => {
  const market = createMarket({ seed: 42, symbols: SYMBOLS, start: addDays(AS_OF, -3 * 365 - 7), end: AS_OF });
  const seeds = backend.name === 'sqlite+file' ? Array.from({ length: SEEDS }, (_, i) => i + 1) : REMOTE_SEEDS;

  for (const seed of seeds) {
    const spec = specFor(seed);
    it(`seed ${seed}: replay with \`trademl demo --fresh --symbols ${SYMBOLS} --as-of ${AS_OF} --faults ${spec} --fault-seed ${seed}\` (backfill lookback ${LOOKBACK})`, async () => {
      const dataDir = await tempDir(`faults-${seed}`);
      const storage = await backend.provision();
      const injected: string[] = [];
      const inner = faultInjector(parseFaultSpec(spec, SANDBOX_VENDORS), seed);
      const faults: FaultInjector = (ctx) => {
        const fault = inner(ctx);
        if (fault?.kind !== 'rewrite') return fault;
        return { ...fault, rewrite: (body) => {
          const drifted = fault.rewrite(body);
          if (drifted !== body && BAR_PATHS.test(ctx.path)) injected.push(fault.label);
          return drifted;
        } };
      };
      try {
        const { summary } = await runDemo({ dataDir, configDir: configs, params: { asOf: AS_OF, symbols: SYMBOLS, seed: 42 }, fresh: false, faults, env: storage.env });
        expect(summary.ledger.greenRatio).toBeGreaterThanOrEqual(0.98);

        const lake = await storage.openLake(dataDir);
        try {
          const quarantined = await lake.listQuarantine();
          for (const entry of quarantined) expect(entry.reason, entry.path).toMatch(/\w{4,}/);
          const breaking = injected.filter((kind) => BREAKING.has(kind)).length;
          expect(quarantined.length, `quarantined vs ${breaking} breaking drifts`).toBeGreaterThanOrEqual(breaking);
          // No bad row in raw/: every row the market did not produce, or with another close, is a leak.
          const rows = await lake.readRaw('equities_eod', {});
          for (const row of rows) expect(row.close, `${row.source_name} ${row.symbol} ${row.date}`).toBe(market.bar(row.symbol, row.date)?.close);
        } finally {
          await lake.close();
        }
        const { problems, rows } = await validateLakeRows(storage, dataDir);
        expect(problems).toEqual([]);
        expect(rows).toBeGreaterThan(0);
        expect(await visibleStagingKeys(storage, dataDir)).toEqual([]);
      } finally {
        await Promise.all([removeDir(dataDir), storage.dispose()]);
      }
    }, 600_000);
  }
});
