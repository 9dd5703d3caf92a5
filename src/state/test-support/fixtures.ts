import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { QueueUnitInput } from '../types.js';

/** A fixed epoch the tests count from (2026-11-24T00:00:00Z). */
export const T0 = Date.UTC(2026, 10, 24);

/** A fresh temporary directory and its cleanup. */
export function tempDir(prefix = 'trademl-state-'): { dir: string; file: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, file: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A queue unit input with plausible defaults; `identity` decides the rest unless overridden. */
export function unit(identity: string, overrides: Partial<QueueUnitInput> = {}): QueueUnitInput {
  return {
    identity,
    vendor: 'alpaca',
    dataset: 'equities_eod',
    endpoint: 'alpaca.bars',
    params: { symbols: ['AAPL', 'MSFT'], start: '2026-11-20', end: '2026-11-20' },
    priority: 10,
    origin: 'backfill',
    cost: 1,
    ...overrides,
  };
}
