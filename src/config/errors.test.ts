import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.js';
import { configCopy, type Edits, problemsOf, replaceOnce } from './test-support/config-dir.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function problemsAfter(edits: Edits, options?: { secrets?: readonly string[] }): Promise<string[]> {
  const { dir, cleanup } = await configCopy(edits);
  cleanups.push(cleanup);
  return problemsOf(loadConfig(dir, options));
}

const VENDOR_PHRASE = 'a vendor (alpaca, polygon, finnhub, av, fmp, fred; aliases massive, alpha_vantage, alphavantage)';

describe('config problem messages', () => {
  it('name file, key path, what was expected and the value with its type', async () => {
    expect(await problemsAfter({ 'edge.yml': (t) => replaceOnce(t, 'lease_seconds: 120', 'lease_seconds: "120s"') })).toEqual([
      'edge.yml: locks.lease_seconds: expected an integer, got "120s" (string)',
    ]);
    expect(await problemsAfter({ 'endpoints.yml': (t) => replaceOnce(t, 'rpm: 5 ', 'rpm: -5 ') })).toEqual([
      'endpoints.yml: providers.polygon.rpm: expected a number > 0, got -5 (number)',
    ]);
    expect(await problemsAfter({ 'backfill.yml': (t) => replaceOnce(t, "earliest: '2015-01-01'", "earliest: '2015-02-30'") })).toEqual([
      'backfill.yml: targets.options_chain_hist.earliest: expected a date YYYY-MM-DD, got "2015-02-30" (string)',
    ]);
  });

  it('report an unknown key with the keys that are allowed there', async () => {
    const problems = await problemsAfter({
      'endpoints.yml': (t) => replaceOnce(t, 'symbols_per_request: 1          # one underlying per listing', 'symbol_per_request: 1'),
    });
    expect(problems).toEqual([
      'endpoints.yml: providers.polygon.datasets.options_contracts.symbol_per_request: expected a known key (endpoint, role, unique, weight, symbols_per_request, rows_per_page, history_days, history_start, cost, available_after_close_minutes, entitlement, notes), got 1 (number)',
    ]);
  });

  it('report a missing key and a missing file', async () => {
    expect(await problemsAfter({ 'edge.yml': (t) => t.replace(/tasks:\n[\s\S]*?\npolicy:/, 'policy:') })).toEqual([
      'edge.yml: tasks: expected a list of task names or a mapping of task name -> {enabled: true|false}, got nothing (missing)',
    ]);
    expect(await problemsAfter({ 'curator.yml': () => null })).toEqual(['curator.yml: file not found']);
  });

  it('report a YAML syntax error with its line and column', async () => {
    const problems = await problemsAfter({ 'edge.yml': () => 'locks:\n  lease_seconds: 120\n  lease_seconds: 100\ntasks: [alpaca_bars]\n' });
    expect(problems).toEqual(['edge.yml:3:3: Map keys must be unique']);
    const unclosed = await problemsAfter({ 'curator.yml': () => 'jobs:\n  a: [1, 2\nwatermark: {}\n' });
    expect(unclosed).toHaveLength(1);
    expect(unclosed[0]).toMatch(/^curator\.yml:3:1: Flow sequence in block collection must be sufficiently indented and end with a \]$/);
  });

  it('report unknown vendor names wherever vendors are named', async () => {
    const problems = await problemsAfter({
      'edge.yml': (t) => replaceOnce(t, '    av: 25 ', '    alphavantag: 25 '),
      'curator.yml': (t) => replaceOnce(t, '[alpaca, polygon, finnhub, fmp, av]', '[alpaca, polgon, finnhub, fmp, av]'),
    });
    expect(problems).toEqual([
      `edge.yml: policy.daily_api_budget.alphavantag: expected ${VENDOR_PHRASE}, got 25 (number)`,
      `curator.yml: jobs.equities_ohlcv_adj.vendor_precedence.1: expected ${VENDOR_PHRASE}, got "polgon" (string)`,
    ]);
  });

  it('report an endpoint listed under the wrong vendor', async () => {
    const problems = await problemsAfter({ 'endpoints.yml': (t) => replaceOnce(t, 'endpoint: polygon.aggs.day', 'endpoint: alpaca.bars') });
    expect(problems).toEqual([
      'endpoints.yml: providers.polygon.datasets.equities_eod.1.endpoint: expected an endpoint id of polygon (polygon.aggs.day, polygon.aggs.grouped_daily, polygon.reference.tickers, polygon.reference.splits, polygon.reference.dividends, polygon.options.contracts), got "alpaca.bars" (string)',
    ]);
  });

  it('report an endpoint filed under a dataset it does not serve, and what depended on it', async () => {
    const problems = await problemsAfter({
      'endpoints.yml': (t) => replaceOnce(t, 'endpoint: polygon.options.contracts', 'endpoint: polygon.aggs.day'),
    });
    expect(problems).toEqual([
      'endpoints.yml: providers.polygon.datasets.options_contracts.endpoint: expected an endpoint serving options_contracts (polygon.options.contracts), got "polygon.aggs.day" (string)',
      'edge.yml: tasks.polygon_options_contracts: expected a task whose endpoints are declared in endpoints.yml (polygon.options.contracts under polygon), got {"enabled":true} (mapping)',
      'backfill.yml: targets.options_contracts: expected a dataset some vendor serves in endpoints.yml (options_contracts has none), got {"earliest":"2024-01-01","lookback_days":730,"chunk_days":30,"top_n":50} (mapping)',
    ]);
  });

  it('report a vendor-bound dataset alias under another vendor, and a malformed job name', async () => {
    const problems = await problemsAfter({
      'endpoints.yml': (t) => replaceOnce(t, '      options_contracts:\n', '      equities_eod_fn: { endpoint: polygon.aggs.day }\n      options_contracts:\n'),
      'curator.yml': (t) => replaceOnce(t, '  equities_ohlcv_adj:\n', '  Equities-Adj:\n'),
    });
    expect(problems).toEqual([
      'endpoints.yml: providers.polygon.datasets.equities_eod_fn: expected a dataset polygon serves ("equities_eod_fn" is equities_eod from finnhub), got {"endpoint":"polygon.aggs.day"} (mapping)',
      'curator.yml: jobs.Equities-Adj: expected a job name in snake_case, got "Equities-Adj" (string)',
    ]);
  });

  it('drill into the branch of a union the value was meant for', async () => {
    expect(await problemsAfter({ 'edge.yml': (t) => replaceOnce(t, '    av: 25 ', '    av: { requests: lots } ') })).toEqual([
      'edge.yml: policy.daily_api_budget.av.requests: expected a number, got "lots" (string)',
    ]);
    expect(await problemsAfter({ 'endpoints.yml': (t) => replaceOnce(t, 'unique: partial ', 'unique: maybe ') })).toEqual([
      'endpoints.yml: providers.alpaca.datasets.options_bars.unique: expected true, false or "partial", got "maybe" (string)',
    ]);
  });

  it('cross-check budgets, roles, tasks and locks against each other', async () => {
    const problems = await problemsAfter({
      'endpoints.yml': (t) => replaceOnce(t, 'role: alternate    # every US ticker', 'role: primary    # every US ticker'),
      'edge.yml': (t) =>
        replaceOnce(replaceOnce(replaceOnce(t, '    av: 25 ', '    av: 30 '), 'alpaca_bars: { enabled: true }', 'alpaca_barz: { enabled: true }'), 'renew_seconds: 45', 'renew_seconds: 120'),
      'backfill.yml': (t) => replaceOnce(t, '    fmp: 192', '    fmp: 245'),
    });
    expect(problems).toEqual([
      'endpoints.yml: providers.polygon.datasets.equities_eod.0.role: expected "alternate" (alpaca.bars is already the primary of equities_eod), got "primary" (string)',
      'edge.yml: locks.renew_seconds: expected an integer < 120 (locks.lease_seconds), got 120 (number)',
      expect.stringMatching(/^edge\.yml: tasks\.alpaca_barz: expected a known task \(alpaca_bars, alpaca_minute, .*fred_series\), got \{"enabled":true\} \(mapping\)$/),
      'edge.yml: policy.daily_api_budget.av: expected a number ≤ 25 (endpoints.yml providers.av.daily_budget), got 30 (number)',
      'backfill.yml: policy.daily_api_budget.fmp: expected a number ≤ 240 (edge.yml policy.daily_api_budget.fmp), got 245 (number)',
    ]);
  });

  it('collect every problem of every file before throwing', async () => {
    const { dir, cleanup } = await configCopy({
      'endpoints.yml': (t) => replaceOnce(t, 'rpm: 200 ', 'rpm: fast '),
      'edge.yml': (t) => replaceOnce(t, 'forward_reserve_pct: 20', 'forward_reserve: 20'),
      'backfill.yml': (t) => replaceOnce(t, 'green_min_ratio: 0.98', 'green_min_ratio: 1.5'),
      'curator.yml': (t) => replaceOnce(t, 'input: equities_eod', 'input: equities_daily'),
    });
    cleanups.push(cleanup);
    const error = await loadConfig(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.map((p) => p.file)).toEqual(['endpoints.yml', 'edge.yml', 'backfill.yml', 'curator.yml']);
    expect(problems.map((p) => p.path)).toEqual([
      'providers.alpaca.rpm',
      'policy.forward_reserve',
      'qc_thresholds.green_min_ratio',
      'jobs.equities_ohlcv_adj.input',
    ]);
    expect((error as ConfigError).message.split('\n')).toEqual(problems.map((p) => p.text));
    expect(problems[2]?.text).toBe('backfill.yml: qc_thresholds.green_min_ratio: expected a number ≤ 1, got 1.5 (number)');
  });

  it('never echo a secret pasted into a config file', async () => {
    const secret = 'pk_live_9f8e7d6c5b4a';
    const problems = await problemsAfter(
      { 'endpoints.yml': (t) => replaceOnce(t, 'key_env: [FMP_API_KEY]', `key_env: [${secret}]`) },
      { secrets: [secret] },
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^endpoints\.yml: providers\.fmp\.key_env\.0: expected a key variable \(ALPACA_API_KEY_ID, .*\), got "\[redacted\]" \(string\)$/);
    expect(problems.join('\n')).not.toContain(secret);
  });
});
