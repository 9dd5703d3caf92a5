import { afterAll, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import type { DatasetVendorPlan, RoutePlan } from '../src/router/index.js';
import { describeBackends } from './support/backends.js';
import { lastJson, removeDir, tempDir } from './support/cli.js';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(cleanups.map((c) => c()));
});

describeBackends('trademl route shows the live fallback', (backend) => {
  it('names the frozen primary, the vendor that takes over, and the standby ones', async () => {
    const dataDir = await tempDir('route-live');
    const storage = await backend.provision();
    cleanups.push(() => removeDir(dataDir), () => storage.dispose());
    // The freeze is written where the route command reads live vendor state: this backend's store.
    const state = await storage.openState(dataDir);
    const until = Date.now() + 3_600_000;
    await state.setVendorHealth({ vendor: 'alpaca', frozenUntilMs: until, reason: 'circuit open after 5 consecutive network errors', consecutiveErrors: 0, updatedAtMs: Date.now() });
    await state.close();
    let stdout = '';
    const code = await main(['node', 'trademl', 'route', 'symbols', '--json', '--data-dir', dataDir], {
      stdout: (text) => void (stdout += text),
      stderr: () => undefined,
      env: { ALPACA_API_KEY_ID: 'PKROUTE', ALPACA_API_SECRET_KEY: 'route-secret', POLYGON_API_KEY: 'routekey', FINNHUB_API_KEY: 'fhkey', ...storage.env },
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
