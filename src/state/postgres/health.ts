import type { VendorId } from '../../catalog/index.js';
import { endpointOf, oneOf, vendorOf } from '../decode.js';
import type { BadSymbol, CapabilityStatus, VendorHealth } from '../types.js';
import { num, numOrNull, type Queryable } from './db.js';

interface HealthRow {
  vendor: string;
  frozen_until_ms: string | null;
  reason: string | null;
  consecutive_errors: number;
  updated_at_ms: string;
}

interface CapabilityRow {
  vendor: string;
  endpoint: string;
  status: string;
  reason: string | null;
  until_ms: string | null;
  updated_at_ms: string;
}

interface BadSymbolRow {
  vendor: string;
  symbol: string;
  until_ms: string;
  reason: string;
}

const CAPABILITY_STATES = ['available', 'denied'] as const;

function toHealth(row: HealthRow): VendorHealth {
  return {
    vendor: vendorOf(row.vendor),
    frozenUntilMs: numOrNull(row.frozen_until_ms),
    reason: row.reason,
    consecutiveErrors: row.consecutive_errors,
    updatedAtMs: num(row.updated_at_ms),
  };
}

function toCapability(row: CapabilityRow): CapabilityStatus {
  return {
    vendor: vendorOf(row.vendor),
    endpoint: endpointOf(row.endpoint),
    status: oneOf(CAPABILITY_STATES, row.status, 'capability status'),
    reason: row.reason,
    untilMs: numOrNull(row.until_ms),
    updatedAtMs: num(row.updated_at_ms),
  };
}

function toBadSymbol(row: BadSymbolRow): BadSymbol {
  return { vendor: vendorOf(row.vendor), symbol: row.symbol, untilMs: num(row.until_ms), reason: row.reason };
}

/** Vendor health, capability status and bad symbols: small keyed rows, each write one upsert. */
export function healthOps(db: Queryable) {
  return {
    getVendorHealth: async (vendor: VendorId): Promise<VendorHealth | undefined> => {
      const result = await db.query<HealthRow>('SELECT * FROM vendor_health WHERE vendor = $1', [vendor]);
      const row = result.rows[0];
      return row === undefined ? undefined : toHealth(row);
    },
    setVendorHealth: async (h: VendorHealth): Promise<void> => {
      await db.query(
        `INSERT INTO vendor_health (vendor, frozen_until_ms, reason, consecutive_errors, updated_at_ms)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (vendor) DO UPDATE SET frozen_until_ms = excluded.frozen_until_ms, reason = excluded.reason,
           consecutive_errors = excluded.consecutive_errors, updated_at_ms = excluded.updated_at_ms`,
        [h.vendor, h.frozenUntilMs, h.reason, h.consecutiveErrors, h.updatedAtMs],
      );
    },
    listVendorHealth: async (): Promise<VendorHealth[]> =>
      (await db.query<HealthRow>('SELECT * FROM vendor_health ORDER BY vendor COLLATE "C"')).rows.map(toHealth),
    setCapabilityStatus: async (s: CapabilityStatus): Promise<void> => {
      await db.query(
        `INSERT INTO capability_status (vendor, endpoint, status, reason, until_ms, updated_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (vendor, endpoint) DO UPDATE SET status = excluded.status, reason = excluded.reason,
           until_ms = excluded.until_ms, updated_at_ms = excluded.updated_at_ms`,
        [s.vendor, s.endpoint, s.status, s.reason, s.untilMs, s.updatedAtMs],
      );
    },
    listCapabilityStatus: async (): Promise<CapabilityStatus[]> =>
      (
        await db.query<CapabilityRow>('SELECT * FROM capability_status ORDER BY vendor COLLATE "C", endpoint COLLATE "C"')
      ).rows.map(toCapability),
    markBadSymbol: async (b: BadSymbol): Promise<void> => {
      await db.query(
        `INSERT INTO bad_symbols (vendor, symbol, until_ms, reason) VALUES ($1, $2, $3, $4)
         ON CONFLICT (vendor, symbol) DO UPDATE SET until_ms = excluded.until_ms, reason = excluded.reason`,
        [b.vendor, b.symbol, b.untilMs, b.reason],
      );
    },
    badSymbols: async (vendor: VendorId, nowMs: number): Promise<BadSymbol[]> =>
      (
        await db.query<BadSymbolRow>(
          'SELECT * FROM bad_symbols WHERE vendor = $1 AND until_ms > $2 ORDER BY symbol COLLATE "C"',
          [vendor, nowMs],
        )
      ).rows.map(toBadSymbol),
  };
}
