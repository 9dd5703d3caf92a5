import { addDays } from '../../calendar/index.js';
import { createRng, type Market, type Rng, type SandboxSplit } from '../market/index.js';
import { stableHex } from '../shared/ids.js';

/** Whole dollars in multiples of 1,000, so every sum and difference of line items is exact. */
export const thousands = (x: number): number => Math.round(x / 1000) * 1000 + 0; // + 0 turns -0 into 0

/** The traits of one simulated company that its statements are drawn from. */
export interface CompanyTraits {
  fyEndMonth: number;
  /** Annual revenue around the first bar. */
  revenue0: number;
  revenueGrowth: number;
  /** Quarterly revenue multipliers by fiscal quarter (mean 1). */
  seasonality: readonly [number, number, number, number];
  cogsPct: number;
  rdPct: number;
  smPct: number;
  gaPct: number;
  sbcPct: number;
  taxRate: number;
  /** Quarterly depreciation as a share of net PP&E. */
  depreciationRate: number;
  dilution: number;
  buybackShare: number;
  /** Balance-sheet items as multiples of quarterly revenue (or cost of revenue). */
  ratios: {
    receivables: number; otherReceivables: number; inventory: number; otherCurrentAssets: number; taxAssets: number;
    otherNonCurrentAssets: number; payables: number; otherPayables: number; accrued: number; deferredRevenue: number;
    deferredRevenueNonCurrent: number; otherCurrentLiabilities: number; otherNonCurrentLiabilities: number;
  };
  /** Opening balances as shares of total assets. */
  opening: {
    totalAssets: number; cash: number; shortTermInvestments: number; longTermInvestments: number; ppe: number;
    goodwill: number; intangibles: number; shortTermDebt: number; longTermDebt: number; leaseCurrent: number;
    leaseNonCurrent: number; deferredTax: number; aoci: number; commonStockShare: number;
  };
}

const FY_END_MONTHS = [12, 12, 12, 12, 12, 12, 12, 9, 9, 6, 3, 1];

export function companyTraits(seed: number, symbol: string, marketCap: number): CompanyTraits {
  const rng = createRng(seed, `fmp-company:${symbol}`);
  const revenue0 = marketCap / rng.logUniform(0.8, 8);
  const season = [0, 1, 2, 3].map(() => 1 + rng.uniform(-0.06, 0.06));
  const mean = season.reduce((a, b) => a + b, 0) / 4;
  const totalAssets = revenue0 / rng.uniform(0.4, 1.5);
  const goodwill = rng.chance(0.5) ? rng.uniform(0.03, 0.2) : 0;
  return {
    fyEndMonth: rng.pick(FY_END_MONTHS),
    revenue0,
    revenueGrowth: rng.uniform(-0.05, 0.3),
    seasonality: season.map((s) => s / mean) as [number, number, number, number],
    cogsPct: rng.uniform(0.35, 0.75),
    // About one company in seven spends heavily on research and runs at a loss.
    rdPct: rng.chance(0.5) ? rng.uniform(0.02, 0.15) : rng.chance(0.3) ? rng.uniform(0.2, 0.45) : 0,
    smPct: rng.uniform(0.04, 0.15),
    gaPct: rng.uniform(0.04, 0.1),
    sbcPct: rng.uniform(0.005, 0.05),
    taxRate: rng.uniform(0.12, 0.25),
    depreciationRate: rng.uniform(0.025, 0.06),
    dilution: rng.uniform(0.002, 0.02),
    buybackShare: rng.chance(0.4) ? rng.uniform(0.1, 0.6) : 0,
    ratios: {
      receivables: rng.uniform(0.3, 0.8), otherReceivables: rng.uniform(0, 0.3), inventory: rng.chance(0.3) ? 0 : rng.uniform(0.2, 1),
      otherCurrentAssets: rng.uniform(0.05, 0.2), taxAssets: rng.uniform(0, 0.15), otherNonCurrentAssets: rng.uniform(0.05, 0.4),
      payables: rng.uniform(0.3, 0.9), otherPayables: rng.uniform(0, 0.2), accrued: rng.uniform(0.02, 0.1),
      deferredRevenue: rng.uniform(0, 0.15), deferredRevenueNonCurrent: rng.uniform(0, 0.3),
      otherCurrentLiabilities: rng.uniform(0.05, 0.25), otherNonCurrentLiabilities: rng.uniform(0.05, 0.3),
    },
    opening: {
      totalAssets, cash: rng.uniform(0.05, 0.2), shortTermInvestments: rng.uniform(0, 0.1), longTermInvestments: rng.uniform(0, 0.15),
      ppe: rng.uniform(0.1, 0.4), goodwill, intangibles: goodwill > 0 ? rng.uniform(0.01, 0.06) : 0,
      shortTermDebt: rng.uniform(0, 0.05), longTermDebt: rng.uniform(0, 0.3), leaseCurrent: rng.uniform(0, 0.01),
      leaseNonCurrent: rng.uniform(0, 0.05), deferredTax: rng.uniform(0, 0.02), aoci: -rng.uniform(0, 0.02),
      commonStockShare: rng.uniform(0.3, 1.1),
    },
  };
}

/**
 * Shares outstanding: a base count drifting a little each year, in the share terms of the symbol's
 * first bar, times every split that has gone ex by the date whose terms are asked for.
 */
export interface ShareModel {
  /** Shares on `date` (year fraction), counted in the terms of `asOf` (splits ex on or before it apply). */
  sharesOn(date: string, asOf: string): number;
}

export function shareModel(market: Market, symbol: string, firstDate: string, firstClose: number, marketCap: number): ShareModel {
  const rng: Rng = createRng(market.seed, `fmp-shares:${symbol}`);
  const drift = rng.uniform(-0.03, 0.02);
  const base = marketCap / firstClose;
  const splits: readonly SandboxSplit[] = market.splitsOf(symbol);
  const t0 = Date.parse(`${firstDate}T00:00:00Z`);
  return {
    sharesOn(date, asOf) {
      const years = (Date.parse(`${date}T00:00:00Z`) - t0) / (365.25 * 86_400_000);
      const ratio = splits.filter((s) => s.exDate <= asOf).reduce((r, s) => (r * s.newShares) / s.oldShares, 1);
      return thousands(base * Math.exp(drift * years) * ratio);
    },
  };
}

/** Market capitalisation around the first bar: log-uniform over $300M … $200B. */
export function openingMarketCap(seed: number, symbol: string): number {
  return createRng(seed, `fmp-cap:${symbol}`).logUniform(3e8, 2e11);
}

/** The middle day of a period, for weighted averages. */
export function midpoint(start: string, end: string): string {
  const days = Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000);
  return addDays(start, Math.floor(days / 2));
}

/** Same 10-digit CIK as the Polygon emulator gives the symbol, so vendors agree on identities. */
export function cikOf(symbol: string): string {
  return String(parseInt(stableHex(`cik:${symbol}`, 8), 16) % 2_000_000).padStart(10, '0');
}
