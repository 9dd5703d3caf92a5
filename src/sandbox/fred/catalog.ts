import type { FredSeriesInfo, TreasuryTenor } from './types.js';

/** The H.15 constant-maturity tenors the notes list (fred.md §5). */
export const TREASURY_TENORS: readonly TreasuryTenor[] = [
  { seriesId: 'DGS1MO', tenor: '1M', years: 1 / 12, observationStart: '2001-07-31', suspended: [] },
  { seriesId: 'DGS3MO', tenor: '3M', years: 0.25, observationStart: '1981-09-01', suspended: [] },
  { seriesId: 'DGS6MO', tenor: '6M', years: 0.5, observationStart: '1981-09-01', suspended: [] },
  { seriesId: 'DGS1', tenor: '1Y', years: 1, observationStart: '1962-01-02', suspended: [] },
  { seriesId: 'DGS2', tenor: '2Y', years: 2, observationStart: '1976-06-01', suspended: [] },
  { seriesId: 'DGS3', tenor: '3Y', years: 3, observationStart: '1962-01-02', suspended: [] },
  { seriesId: 'DGS5', tenor: '5Y', years: 5, observationStart: '1962-01-02', suspended: [] },
  { seriesId: 'DGS7', tenor: '7Y', years: 7, observationStart: '1969-07-01', suspended: [] },
  { seriesId: 'DGS10', tenor: '10Y', years: 10, observationStart: '1962-01-02', suspended: [] },
  { seriesId: 'DGS20', tenor: '20Y', years: 20, observationStart: '1962-01-02', suspended: [['1987-01-01', '1993-09-30']] },
  { seriesId: 'DGS30', tenor: '30Y', years: 30, observationStart: '1977-02-15', suspended: [['2002-02-19', '2006-02-08']] },
];

/** Revised macro series the sandbox publishes with ALFRED vintages. */
export const MACRO_SERIES_IDS = ['CPIAUCSL', 'UNRATE', 'PAYEMS', 'GDP'] as const;
export type MacroSeriesId = (typeof MACRO_SERIES_IDS)[number];

export const TREASURY_SERIES_IDS: readonly string[] = TREASURY_TENORS.map((t) => t.seriesId);

const TREASURY_POPULARITY: Readonly<Record<string, number>> = {
  DGS1MO: 70, DGS3MO: 78, DGS6MO: 66, DGS1: 72, DGS2: 83, DGS3: 64, DGS5: 76, DGS7: 63, DGS10: 96, DGS20: 62, DGS30: 79,
};

function treasuryInfo(t: TreasuryTenor): FredSeriesInfo {
  const label = t.tenor.endsWith('M') ? `${t.tenor.slice(0, -1)}-Month` : `${t.tenor.slice(0, -1)}-Year`;
  return {
    id: t.seriesId,
    title: `Market Yield on U.S. Treasury Securities at ${label} Constant Maturity, Quoted on an Investment Basis`,
    frequency: 'Daily',
    frequencyShort: 'D',
    units: 'Percent',
    unitsShort: '%',
    seasonalAdjustment: 'Not Seasonally Adjusted',
    seasonalAdjustmentShort: 'NSA',
    popularity: TREASURY_POPULARITY[t.seriesId] ?? 50,
    notes: 'For further information regarding treasury constant maturity data, please refer to the H.15 Statistical Release notes.',
    updateTime: '15:18:02',
  };
}

const MACRO_INFO: Readonly<Record<MacroSeriesId, FredSeriesInfo>> = {
  CPIAUCSL: {
    id: 'CPIAUCSL',
    title: 'Consumer Price Index for All Urban Consumers: All Items in U.S. City Average',
    frequency: 'Monthly',
    frequencyShort: 'M',
    units: 'Index 1982-1984=100',
    unitsShort: 'Index 1982-1984=100',
    seasonalAdjustment: 'Seasonally Adjusted',
    seasonalAdjustmentShort: 'SA',
    popularity: 95,
    updateTime: '07:38:01',
  },
  UNRATE: {
    id: 'UNRATE',
    title: 'Unemployment Rate',
    frequency: 'Monthly',
    frequencyShort: 'M',
    units: 'Percent',
    unitsShort: '%',
    seasonalAdjustment: 'Seasonally Adjusted',
    seasonalAdjustmentShort: 'SA',
    popularity: 94,
    updateTime: '07:46:03',
  },
  PAYEMS: {
    id: 'PAYEMS',
    title: 'All Employees, Total Nonfarm',
    frequency: 'Monthly',
    frequencyShort: 'M',
    units: 'Thousands of Persons',
    unitsShort: 'Thous. of Persons',
    seasonalAdjustment: 'Seasonally Adjusted',
    seasonalAdjustmentShort: 'SA',
    popularity: 86,
    notes: 'All Employees: Total Nonfarm, commonly known as Total Nonfarm Payroll.',
    updateTime: '07:46:04',
  },
  GDP: {
    id: 'GDP',
    title: 'Gross Domestic Product',
    frequency: 'Quarterly',
    frequencyShort: 'Q',
    units: 'Billions of Dollars',
    unitsShort: 'Bil. of $',
    seasonalAdjustment: 'Seasonally Adjusted Annual Rate',
    seasonalAdjustmentShort: 'SAAR',
    popularity: 93,
    notes: 'BEA Account Code: A191RC',
    updateTime: '07:52:05',
  },
};

export function treasuryInfoOf(seriesId: string): FredSeriesInfo | undefined {
  const tenor = TREASURY_TENORS.find((t) => t.seriesId === seriesId);
  return tenor ? treasuryInfo(tenor) : undefined;
}

export function macroInfoOf(seriesId: MacroSeriesId): FredSeriesInfo {
  return MACRO_INFO[seriesId];
}

export function isMacroSeriesId(id: string): id is MacroSeriesId {
  return (MACRO_SERIES_IDS as readonly string[]).includes(id);
}
