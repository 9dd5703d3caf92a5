/** The six vendors, one spelling everywhere (DESIGN.md "Names"). */
export const VENDORS = ['alpaca', 'polygon', 'finnhub', 'av', 'fmp', 'fred'] as const;
export type VendorId = (typeof VENDORS)[number];

/** Spellings configs and users may use; everything past the config loader sees only the id. */
const VENDOR_ALIASES: Record<string, VendorId> = {
  alpaca: 'alpaca',
  polygon: 'polygon',
  massive: 'polygon',
  finnhub: 'finnhub',
  av: 'av',
  alpha_vantage: 'av',
  alphavantage: 'av',
  fmp: 'fmp',
  fred: 'fred',
};

export function isVendorId(value: string): value is VendorId {
  return (VENDORS as readonly string[]).includes(value);
}

/** Normalises an alias (`massive`, `alpha_vantage`) to its vendor id; undefined when unknown. */
export function normalizeVendor(name: string): VendorId | undefined {
  return VENDOR_ALIASES[name.trim().toLowerCase()];
}

export const VENDOR_ALIAS_NAMES: readonly string[] = Object.keys(VENDOR_ALIASES);
