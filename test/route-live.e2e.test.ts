import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import type { DatasetVendorPlan, RoutePlan } from '../src/router/index.js';
import { openStateStore } from '../src/state/index.js';
import { lastJson, removeDir, tempDir } from './support/cli.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map(removeDir));
});

describe('trademl route shows the live fallback', () => {
  it('names the frozen primary, the vendor that takes over, and the standby ones', async () => {
    const dataDir = await tempDir('route-live');
    dirs.push(dataDir);
    const state = await openStateStore(`sqlite:${path.join(dataDir, 'state', 'trademl.sqlite')}`);
    const until = Date.now() + 3_600_000;
    await state.setVendorHealth({ vendor: 'alpaca', frozenUntilMs: until, reason: 'circuit open after 5 consecutive network errors', consecutiveErrors: 0, updatedAtMs: Date.now() });
    await state.close();
    let stdout = '';
    const code = await main(['node', 'trademl', 'route', 'symbols', '--json', '--data-dir', dataDir], {
      stdout: (text) => void (stdout += text),
      stderr: () => undefined,
      env: { ALPACA_API_KEY_ID: 'PKROUTE', ALPACA_API_SECRET_KEY: 'route-secret', POLYGON_API_KEY: 'routekey', FINNHUB_API_KEY: 'fhkey' },
      isTTY: false,
    });
    expect(code).toBe(0);
    const plan = lastJson<RoutePlan & { vendors: DatasetVendorPlan }>(stdout);
    const byVendor = Object.fromEntries(plan.vendors.capabilities.map((c) => [`${c.vendor}`, [c.status, c.reason]]));
    expect(byVendor.alpaca).toEqual(['excluded', `frozen until ${new Date(until).toISOString()}: circuit open after 5 consecutive network errors`]);
    expect(byVendor.polygon?.[0]).toBe('active');
    expect(byVendor.polygon?.[1]).toMatch(/^fallback: alpaca frozen until/);
    expect(plan.vendors.active).toEqual(['polygon']);
    expect(plan.vendors.capabilities.filter((c) => c.status === 'standby').map((c) => c.vendor)).toContain('finnhub');
    expect(stdout).not.toContain('route-secret');
  });
});
