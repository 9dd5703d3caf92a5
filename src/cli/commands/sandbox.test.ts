import { Command } from 'commander';
import { SANDBOX_VENDORS } from '../../sandbox/index.js';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../clock/index.js';
import type { CliIO } from '../context.js';
import { register, serveSandbox } from './sandbox.js';

function captureIO(): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: {}, isTTY: false };
}

const ALPACA = { 'APCA-API-KEY-ID': 'PK', 'APCA-API-SECRET-KEY': 'sk' };

describe('trademl sandbox serve', () => {
  it('prints one JSON object with base URLs and env, serves until stopped, then closes', async () => {
    const io = captureIO();
    let stop!: () => void;
    const until = new Promise<void>((resolve) => (stop = resolve));
    const clock = new VirtualClock({ start: Date.parse('2026-06-03T22:00:00Z') });
    const serving = serveSandbox({ io, json: true, seed: 3, symbols: 15, portBase: undefined, until, clock });
    while (io.out.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const printed = JSON.parse(io.out[0]!) as { baseUrls: Record<string, string>; env: Record<string, string>; start: string; end: string; symbols: number };
    expect(printed).toMatchObject({ start: '2023-06-03', end: '2026-06-03', symbols: 15, seed: 3 });
    expect(printed.env.TRADEML_POLYGON_BASE_URL).toBe(printed.baseUrls.polygon);
    const assets = await fetch(`${printed.env.TRADEML_ALPACA_TRADING_BASE_URL}/v2/assets`, { headers: ALPACA });
    expect(assets.status).toBe(200);
    expect(((await assets.json()) as unknown[]).length).toBeGreaterThan(10);
    stop();
    await serving;
    await expect(fetch(`${printed.baseUrls.alpacaData}/v2/assets`, { headers: ALPACA })).rejects.toThrow();
    expect(io.out).toHaveLength(1);
  });

  it('prints export lines for a shell on the fixed ports of --port-base', async () => {
    const io = captureIO();
    let stop!: () => void;
    const until = new Promise<void>((resolve) => (stop = resolve));
    const probe = await freePortRun(SANDBOX_VENDORS.length);
    const serving = serveSandbox({ io, json: false, seed: 1, symbols: 5, portBase: probe, until, clock: new VirtualClock({ start: Date.parse('2026-06-03T22:00:00Z') }) });
    let failed: unknown;
    serving.catch((error: unknown) => (failed = error));
    while (io.out.length === 0 && failed === undefined) await new Promise((resolve) => setImmediate(resolve));
    expect(failed).toBeUndefined();
    const text = io.out.join('');
    expect(text).toContain(`export TRADEML_ALPACA_DATA_BASE_URL=http://127.0.0.1:${probe}\n`);
    expect(text).toContain(`export TRADEML_ALPACA_TRADING_BASE_URL=http://127.0.0.1:${probe}\n`);
    expect(text).toContain(`export TRADEML_POLYGON_BASE_URL=http://127.0.0.1:${probe + 1}\n`);
    stop();
    await serving;
    expect(io.out.join('')).toContain('sandbox stopped: 0 alpaca, 0 polygon, 0 finnhub, 0 av, 0 fmp, 0 fred requests served');
  });

  it('registers `sandbox serve` with options and an example in its help', async () => {
    const io = captureIO();
    const program = new Command('trademl').exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr }).option('--json');
    register(program, io);
    await expect(program.parseAsync(['node', 'trademl', 'sandbox', 'serve', '--help'])).rejects.toMatchObject({ exitCode: 0 });
    const help = io.out.join('');
    expect(help).toContain('--port-base <n>');
    expect(help).toContain('--seed <n>');
    expect(help).toContain('--symbols <n>');
    expect(help).toContain('Example:');
    expect(help).toContain('trademl sandbox serve --port-base 18080');
  });

  it('rejects a malformed option with a usage error naming it', async () => {
    const io = captureIO();
    const program = new Command('trademl').exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr }).option('--json');
    register(program, io);
    const before = process.exitCode;
    try {
      await program.parseAsync(['node', 'trademl', 'sandbox', 'serve', '--port-base', 'abc', '--json']);
      expect(process.exitCode).toBe(2);
      expect(JSON.parse(io.err.join(''))).toMatchObject({ error: 'UsageError', message: expect.stringContaining('--port-base') });
    } finally {
      process.exitCode = before;
    }
  });
});

/** A base port N such that N … N+count−1 are all free on loopback right now (retries other bases). */
async function freePortRun(count: number): Promise<number> {
  const net = await import('node:net');
  const listen = (port: number): Promise<import('node:net').Server | undefined> =>
    new Promise((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(undefined));
      server.listen(port, '127.0.0.1', () => resolve(server));
    });
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const first = await listen(0);
    if (!first) continue;
    const base = (first.address() as { port: number }).port;
    const held = [first];
    for (let i = 1; i < count; i += 1) {
      const next = base + i <= 65_535 ? await listen(base + i) : undefined;
      if (!next) break;
      held.push(next);
    }
    await Promise.all(held.map((server) => new Promise((resolve) => server.close(resolve))));
    if (held.length === count) return base;
  }
  throw new Error(`no run of ${count} free loopback ports found`);
}
