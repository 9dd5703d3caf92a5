import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addDays, nyDate, sessionDatesBetween } from '../../src/calendar/index.js';
import { systemClock } from '../../src/clock/index.js';
import { sqlFileList } from '../../src/lake/index.js';
import { VirtualClock } from '../../src/clock/index.js';
import { openRuntime } from '../../src/cli/runtime.js';
import { loadEnvironment } from '../../src/config/index.js';
import { runPipelineOnce } from '../../src/scheduler/index.js';
import { createMarket, type Market, faultInjector, parseFaultSpec, RELAXED_PLANS, SANDBOX_VENDORS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { describeBackends, storageSecrets, type ProvisionedBackend, type StoredObject } from '../support/backends.js';
import { removeDir, runCli, shortWindowConfigs, startCli, tempDir, type CliResult } from '../support/cli.js';

/**
 * Distinctive keys for all six vendors go through the real CLI (a pipeline cycle, one fetch per
 * vendor, failures included) against a sandbox that accepts any key and injects faults; then every
 * output, lake file (Parquet read through DuckDB, every column), quarantine file, the state store and
 * the dashboard (served without the keys, so it cannot mask them) is searched for each key value.
 */
const KEYS = {
  ALPACA_API_KEY_ID: 'AKTESTSECRET123ALPACAID',
  ALPACA_API_SECRET_KEY: 'SKTESTSECRET456ALPACASECRET',
  POLYGON_API_KEY: 'PGTESTSECRET789POLYGON',
  FINNHUB_API_KEY: 'FHTESTSECRET012FINNHUB',
  ALPHAVANTAGE_API_KEY: 'AVTESTSECRET345ALPHA',
  FMP_API_KEY: 'FMPTESTSECRET678FMP',
  FRED_API_KEY: 'fredtestsecret901fred0000000000a',
};
const SECRETS = Object.values(KEYS);
const REFERENCE_TASKS = 'alpaca_assets,polygon_tickers,alpaca_corporate_actions,polygon_corp_actions';
const TASKS = `alpaca_bars,polygon_bars,${REFERENCE_TASKS}`;
const today = nyDate(Date.now());
describeBackends('no key value anywhere', (backend) => {
let storage: ProvisionedBackend;
let sandbox: Sandbox;
let faulty: Sandbox;
let configs: string;
let dataDir: string;
/** What the lake's storage and the state store hold once every command ran. */
let stored: StoredObject[];
let stateText: string;
/** Local copies of every stored Parquet object (on S3 they live in the bucket), keyed like the lake. */
let parquetCopies: { key: string; file: string }[];
const outputs: { label: string; result: CliResult; ms?: number }[] = [];
const pages: { url: string; body: string }[] = [];
const events: string[] = [];

beforeAll(async () => {
  storage = await backend.provision();
  const market = createMarket({ seed: 9, symbols: 15, start: addDays(today, -400), end: today });
  const symbols = market.barsOn(sessionDatesBetween(addDays(today, -10), addDays(today, -1)).at(-1) ?? today).map((b) => b.symbol).slice(0, 3);
  sandbox = await startSandbox({ clock: systemClock, market, plans: RELAXED_PLANS });
  faulty = await startSandbox({
    clock: systemClock,
    market,
    plans: RELAXED_PLANS,
    // Faults that end in quarantine or a permanent error: a rate limit or a 5xx would wait in real time.
    faults: faultInjector(parseFaultSpec('polygon=truncate:0.2,alpaca=drift_retype:0.3,fred=truncate:0.3,finnhub=drift_missing:0.5,av=error200:0.5,fmp=drift_retype:0.5', SANDBOX_VENDORS), 4),
  });
  configs = await shortWindowConfigs(15);
  const endpoints = path.join(configs, 'endpoints.yml');
  await writeFile(endpoints, (await readFile(endpoints, 'utf8')).replace(/rpm: 5\b/, 'rpm: 600').replace(/min_interval_ms: \d+/g, 'min_interval_ms: 0'));
  dataDir = await tempDir('secrets');
  const cli = async (label: string, args: string[], env: Record<string, string> = { ...faulty.env(), ...KEYS }): Promise<void> => {
    const started = Date.now();
    outputs.push({ label, result: await runCli([...args, '--config-dir', configs, '--data-dir', dataDir], { env: { ...env, ...storage.env } }), ms: Date.now() - started });
  };
  // On the real clock a failed unit is retried a minute later, so the CLI cycle runs fault-free (reference
  // data); the bars follow in process, on a virtual clock, with faults.
  await cli('run', ['run', '--once', '--vendors', 'alpaca,polygon', '--tasks', REFERENCE_TASKS, '--json'], { ...sandbox.env(), ...KEYS });
  await pipelineWithFaults(configs, dataDir, market);
  const start = addDays(today, -10);
  const end = addDays(today, -1);
  const list = symbols.join(',');
  await cli('fetch alpaca', ['fetch', 'alpaca', 'equities_eod', '--symbols', list, '--start', start, '--end', end, '--write']);
  for (const symbol of symbols) {
    await cli('fetch finnhub', ['fetch', 'finnhub', 'corp_actions', '--symbols', symbol, '--start', start, '--end', end, '--write', '--json']);
    await cli('fetch av', ['fetch', 'av', 'equities_eod', '--symbols', symbol, '--write', '--json']);
    await cli('fetch fmp', ['fetch', 'fmp', 'equities_eod', '--symbols', symbol, '--start', start, '--end', end, '--write']);
  }
  for (let i = 0; i < 3; i += 1) await cli('fetch fred', ['fetch', 'fred', 'treasuries', '--start', start, '--end', end, '--write', '--json']);
  await cli('status', ['status', '--json']);
  await cli('query', ['query', 'SELECT * FROM raw_equities_eod LIMIT 50', '--json']);
  await cli('log', ['status']);
  await scrapeDashboard();
  stored = await storage.storedObjects(dataDir);
  stateText = await storage.stateText(dataDir);
  const copies = path.join(dataDir, '..', `${path.basename(dataDir)}-parquet`);
  parquetCopies = [];
  for (const [i, object] of stored.filter((o) => o.key.endsWith('.parquet')).entries()) {
    const file = path.join(copies, `${i}.parquet`);
    await mkdir(copies, { recursive: true });
    await writeFile(file, object.bytes);
    parquetCopies.push({ key: object.key, file });
  }
}, 900_000);
afterAll(async () => {
  await Promise.all([sandbox?.close(), faulty?.close()]);
  await Promise.all([removeDir(configs), removeDir(dataDir), removeDir(path.join(dataDir, '..', `${path.basename(dataDir)}-parquet`)), storage?.dispose()]);
});

/**
 * The pipeline cycle the CLI's `run` performs, in process on a virtual clock (so retries cost no
 * real time), with the test keys and faults that end in quarantine: it fills quarantine/ and the
 * state store's run log with the failure paths.
 */
async function pipelineWithFaults(configDir: string, root: string, market: Market): Promise<void> {
  const clock = new VirtualClock({ start: Date.now() });
  const faults = faultInjector(parseFaultSpec('polygon=truncate:0.3,alpaca=drift_retype:0.5', SANDBOX_VENDORS), 2);
  const sim = await startSandbox({ clock, market, faults });
  try {
    const env = loadEnvironment({ ...sim.env(), ...KEYS, ...storage.env });
    const runtime = await openRuntime({ configDir, dataDir: root, env, clock, owner: 'secrets-test', vendors: ['alpaca', 'polygon'], tasks: TASKS.split(','), s3Env: storage.env });
    try {
      await runPipelineOnce(runtime, { onEvent: (event) => events.push(JSON.stringify(event)) });
    } finally {
      await runtime.close();
    }
  } finally {
    await sim.close();
  }
}

/** Runs `trademl serve` without any key in its environment and fetches every page and API route. */
async function scrapeDashboard(): Promise<void> {
  const served = startCli(['serve', '--port', '0', '--json', '--config-dir', configs, '--data-dir', dataDir], { env: storage.env });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let seen = '';
      served.child.stdout?.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        const line = seen.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve((JSON.parse(line) as { url: string }).url);
      });
      void served.done.then((r) => reject(new Error(`serve exited: ${r.stderr}`)));
    });
    for (const route of ['', 'api/status', 'api/coverage', 'api/coverage?dataset=equities_eod', 'api/vendors', 'api/queue', 'api/log', 'api/log?level=error', 'api/freshness', 'api/datasets', 'no-such-page']) {
      const response = await fetch(`${url}${route}`);
      pages.push({ url: route, body: await response.text() });
    }
  } finally {
    served.child.kill('SIGTERM');
    outputs.push({ label: 'serve', result: await served.done });
  }
}

/** Vendor keys, and the storage credentials (S3 keys, a state URL password) where the backend has them. */
const hits = (text: string): string[] => [...SECRETS, ...storageSecrets(storage.env)].filter((s) => text.includes(s));

  it('the runs did real work, with failures, so the error paths were exercised', () => {
    console.log(outputs.map((o) => `${o.label}: exit ${o.result.code}, ${o.ms ?? '-'} ms ${o.result.code === 0 ? '' : o.result.stderr.trim().split('\n').pop()}`).join('\n'));
    const run = outputs.find((o) => o.label === 'run')?.result;
    expect(run?.code, run?.stderr).toBe(0);
    expect(outputs.some((o) => o.result.code !== 0)).toBe(true);
    expect(pages.length).toBeGreaterThan(5);
  });

  it('in stdout and stderr of every command (logs and error messages included), and in pipeline events', () => {
    for (const { label, result } of outputs) expect(hits(result.stdout + result.stderr), label).toEqual([]);
    expect(events.some((e) => e.includes('failed'))).toBe(true);
    expect(hits(events.join('\n'))).toEqual([]);
  });

  it('in any byte of any stored object (state store, quarantine, manifests; on S3 every object in the bucket)', async () => {
    expect(stored.some((o) => o.key.startsWith('quarantine/'))).toBe(true);
    for (const { key, bytes } of stored) expect(hits(bytes.toString('latin1')), key).toEqual([]);
    expect(stateText.length).toBeGreaterThan(100);
    expect(hits(stateText), 'state store').toEqual([]);
  });

  it('in any column of any Parquet file, read through DuckDB', async () => {
    expect(parquetCopies.length).toBeGreaterThan(3);
    const lake = await storage.openLake(dataDir);
    try {
      for (const { key, file } of parquetCopies) {
        const rows = await lake.query(`SELECT * FROM read_parquet(${sqlFileList([file])})`);
        expect(hits(JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))), key).toEqual([]);
      }
    } finally {
      await lake.close();
    }
  });

  it('in the dashboard pages and JSON API (served without the keys, so nothing could be masked on the way out)', () => {
    for (const page of pages) expect(hits(page.body), page.url).toEqual([]);
  });

  it('errors and lineage that carry a URL carry the redacted one', async () => {
    const texts = [...outputs.map((o) => o.result.stdout + o.result.stderr), ...pages.map((p) => p.body)];
    for (const object of stored.filter((o) => o.key.endsWith('.json'))) texts.push(object.bytes.toString('utf8'));
    const lake = await storage.openLake(dataDir);
    try {
      const parquet = parquetCopies.filter((c) => c.key.startsWith('raw/')).map((c) => c.file);
      const uris = await lake.query<{ source_uri: string }>(`SELECT DISTINCT source_uri FROM read_parquet(${sqlFileList(parquet)}, union_by_name = true)`);
      texts.push(...uris.map((u) => u.source_uri));
    } finally {
      await lake.close();
    }
    const credentialParams = texts.flatMap((t) => [...t.matchAll(/[?&](apikey|api_key|token)=([^&\s"\\]*)/gi)].map((m) => `${m[1]}=${m[2]}`));
    expect(credentialParams.length).toBeGreaterThan(0);
    for (const param of credentialParams) expect(param, param).toMatch(/=(\*\*\*|REDACTED|%2A%2A%2A)$/);
  });
});
