import type Database from 'better-sqlite3';
import type { VendorId } from '../../catalog/index.js';
import type { BadSymbol, CapabilityStatus, VendorHealth } from '../types.js';
import { endpointOf, oneOf, vendorOf } from '../decode.js';

interface HealthRow {
  vendor: string;
  frozen_until_ms: number | null;
  reason: string | null;
  consecutive_errors: number;
  updated_at_ms: number;
}

interface CapabilityRow {
  vendor: string;
  endpoint: string;
  status: string;
  reason: string | null;
  until_ms: number | null;
  updated_at_ms: number;
}

interface BadSymbolRow {
  vendor: string;
  symbol: string;
  until_ms: number;
  reason: string;
}

const CAPABILITY_STATES = ['available', 'denied'] as const;

function toHealth(row: HealthRow): VendorHealth {
  return {
    vendor: vendorOf(row.vendor),
    frozenUntilMs: row.frozen_until_ms,
    reason: row.reason,
    consecutiveErrors: row.consecutive_errors,
    updatedAtMs: row.updated_at_ms,
  };
}

function toCapability(row: CapabilityRow): CapabilityStatus {
  return {
    vendor: vendorOf(row.vendor),
    endpoint: endpointOf(row.endpoint),
    status: oneOf(CAPABILITY_STATES, row.status, 'capability status'),
    reason: row.reason,
    untilMs: row.until_ms,
    updatedAtMs: row.updated_at_ms,
  };
}

function toBadSymbol(row: BadSymbolRow): BadSymbol {
  return { vendor: vendorOf(row.vendor), symbol: row.symbol, untilMs: row.until_ms, reason: row.reason };
}

/** Vendor health, capability status and bad symbols: small keyed rows the router and pacing consult. */
export function healthOps(db: Database.Database) {
  const getHealth = db.prepare<[string], HealthRow>('SELECT * FROM vendor_health WHERE vendor = ?');
  const listHealth = db.prepare<[], HealthRow>('SELECT * FROM vendor_health ORDER BY vendor');
  const putHealth = db.prepare<[string, number | null, string | null, number, number]>(
    `INSERT INTO vendor_health (vendor, frozen_until_ms, reason, consecutive_errors, updated_at_ms)
     VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (vendor) DO UPDATE SET frozen_until_ms = excluded.frozen_until_ms, reason = excluded.reason,
       consecutive_errors = excluded.consecutive_errors, updated_at_ms = excluded.updated_at_ms`,
  );
  const putCapability = db.prepare<[string, string, string, string | null, number | null, number]>(
    `INSERT INTO capability_status (vendor, endpoint, status, reason, until_ms, updated_at_ms)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (vendor, endpoint) DO UPDATE SET status = excluded.status, reason = excluded.reason,
       until_ms = excluded.until_ms, updated_at_ms = excluded.updated_at_ms`,
  );
  const listCapabilities = db.prepare<[], CapabilityRow>('SELECT * FROM capability_status ORDER BY vendor, endpoint');
  const putBadSymbol = db.prepare<[string, string, number, string]>(
    `INSERT INTO bad_symbols (vendor, symbol, until_ms, reason) VALUES (?, ?, ?, ?)
     ON CONFLICT (vendor, symbol) DO UPDATE SET until_ms = excluded.until_ms, reason = excluded.reason`,
  );
  const listBadSymbols = db.prepare<[string, number], BadSymbolRow>(
    'SELECT * FROM bad_symbols WHERE vendor = ? AND until_ms > ? ORDER BY symbol',
  );

  return {
    getVendorHealth: (vendor: VendorId): VendorHealth | undefined => {
      const row = getHealth.get(vendor);
      return row === undefined ? undefined : toHealth(row);
    },
    setVendorHealth: (h: VendorHealth): void => {
      putHealth.run(h.vendor, h.frozenUntilMs, h.reason, h.consecutiveErrors, h.updatedAtMs);
    },
    listVendorHealth: (): VendorHealth[] => listHealth.all().map(toHealth),
    setCapabilityStatus: (s: CapabilityStatus): void => {
      putCapability.run(s.vendor, s.endpoint, s.status, s.reason, s.untilMs, s.updatedAtMs);
    },
    listCapabilityStatus: (): CapabilityStatus[] => listCapabilities.all().map(toCapability),
    markBadSymbol: (b: BadSymbol): void => {
      putBadSymbol.run(b.vendor, b.symbol, b.untilMs, b.reason);
    },
    badSymbols: (vendor: VendorId, nowMs: number): BadSymbol[] => listBadSymbols.all(vendor, nowMs).map(toBadSymbol),
  };
}
