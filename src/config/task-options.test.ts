import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from './load.js';
import { configCopy, problemsOf, replaceOnce, SHIPPED_CONFIG_DIR } from './test-support/config-dir.js';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe('edge.yml task options', () => {
  it('ship top_n for the options tasks and keep option-less tasks as {name, enabled}', async () => {
    const { tasks } = (await loadConfig(SHIPPED_CONFIG_DIR)).edge;
    expect(tasks.find((t) => t.name === 'alpaca_options_chain')).toEqual({ name: 'alpaca_options_chain', enabled: true, top_n: 10 });
    expect(tasks.find((t) => t.name === 'finnhub_options')).toEqual({ name: 'finnhub_options', enabled: true, top_n: 10 });
    expect(tasks.find((t) => t.name === 'alpaca_bars')).toEqual({ name: 'alpaca_bars', enabled: true });
  });

  it('read explicit underliers (deduplicated) and reject a malformed one naming the key', async () => {
    const good = await configCopy({ 'edge.yml': (t) => replaceOnce(t, 'alpaca_options_chain: { enabled: true, top_n: 10 }', 'alpaca_options_chain: { enabled: true, underliers: [SPY, QQQ, SPY, BRK.B] }') });
    cleanup = good.cleanup;
    const config = await loadConfig(good.dir);
    expect(config.edge.tasks.find((t) => t.name === 'alpaca_options_chain')).toEqual({ name: 'alpaca_options_chain', enabled: true, underliers: ['SPY', 'QQQ', 'BRK.B'] });
    await good.cleanup();
    const bad = await configCopy({ 'edge.yml': (t) => replaceOnce(t, 'alpaca_options_chain: { enabled: true, top_n: 10 }', 'alpaca_options_chain: { enabled: true, underliers: [spy], top_n: 0 }') });
    cleanup = bad.cleanup;
    const problems = await problemsOf(loadConfig(bad.dir));
    expect(problems.some((p) => p.startsWith('edge.yml: tasks.alpaca_options_chain'))).toBe(true);
  });
});
