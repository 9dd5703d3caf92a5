import { VENDORS, type VendorId } from '../catalog/index.js';
import type { TrademlEnvironment } from './environment.js';

/** API key variables (DESIGN.md "The command line"). */
export const KEY_VARS = [
  'ALPACA_API_KEY_ID',
  'ALPACA_API_SECRET_KEY',
  'POLYGON_API_KEY',
  'FINNHUB_API_KEY',
  'ALPHAVANTAGE_API_KEY',
  'FMP_API_KEY',
  'FRED_API_KEY',
] as const;
export type KeyVar = (typeof KEY_VARS)[number];

/** Other spellings of a key variable; the canonical one wins when both are set. */
export const KEY_VAR_ALIASES: Readonly<Record<string, KeyVar>> = { MASSIVE_API_KEY: 'POLYGON_API_KEY' };

export function normalizeKeyVar(name: string): KeyVar | undefined {
  if ((KEY_VARS as readonly string[]).includes(name)) return name as KeyVar;
  return KEY_VAR_ALIASES[name];
}

/** Keys a vendor needs when endpoints.yml does not say otherwise. */
export const VENDOR_KEY_ENV: Readonly<Record<VendorId, readonly KeyVar[]>> = {
  alpaca: ['ALPACA_API_KEY_ID', 'ALPACA_API_SECRET_KEY'],
  polygon: ['POLYGON_API_KEY'],
  finnhub: ['FINNHUB_API_KEY'],
  av: ['ALPHAVANTAGE_API_KEY'],
  fmp: ['FMP_API_KEY'],
  fred: ['FRED_API_KEY'],
};

export type KeyStatus = 'set' | 'missing';

export interface VendorKeyStatus {
  readonly configured: boolean;
  readonly keys: Readonly<Record<string, KeyStatus>>;
}

/**
 * Which key variables each vendor needs and whether they are set. `keyEnv` (from endpoints.yml)
 * overrides the built-in requirements per vendor.
 */
export function vendorKeyStatus(
  env: TrademlEnvironment,
  keyEnv: Partial<Record<VendorId, readonly KeyVar[]>> = {},
): Record<VendorId, VendorKeyStatus> {
  const out = {} as Record<VendorId, VendorKeyStatus>;
  for (const vendor of VENDORS) {
    const required = keyEnv[vendor] ?? VENDOR_KEY_ENV[vendor];
    const keys: Record<string, KeyStatus> = {};
    for (const name of required) keys[name] = env.keys[name] === undefined ? 'missing' : 'set';
    out[vendor] = { configured: Object.values(keys).every((s) => s === 'set'), keys };
  }
  return out;
}

/** Vendors whose required keys are all present. */
export function configuredVendors(env: TrademlEnvironment, keyEnv: Partial<Record<VendorId, readonly KeyVar[]>> = {}): VendorId[] {
  const status = vendorKeyStatus(env, keyEnv);
  return VENDORS.filter((v) => status[v].configured);
}
