import { createRng, type SandboxSymbol } from '../market/index.js';
import { stableCusip } from '../shared/ids.js';

/** The descriptive, non-price part of a company profile. */
export interface CompanyFacts {
  sector: string;
  industry: string;
  ceo: string;
  website: string;
  description: string;
  fullTimeEmployees: string;
  phone: string;
  address: string;
  city: string;
  state: string;
  zip: string;
  cusip: string;
  isin: string;
  beta: number;
}

/** Name words that imply a sector and industry; other names draw one at random. */
const BY_NAME: ReadonlyArray<readonly [string, string, string]> = [
  ['Pharmaceuticals', 'Healthcare', 'Drug Manufacturers - General'],
  ['Therapeutics', 'Healthcare', 'Biotechnology'],
  ['Bancorp', 'Financial Services', 'Banks - Regional'],
  ['Financial', 'Financial Services', 'Capital Markets'],
  ['Energy', 'Energy', 'Oil & Gas E&P'],
  ['Semiconductor', 'Technology', 'Semiconductors'],
  ['Technologies', 'Technology', 'Software - Application'],
  ['Systems', 'Technology', 'Information Technology Services'],
  ['Networks', 'Communication Services', 'Telecom Services'],
  ['Realty', 'Real Estate', 'REIT - Diversified'],
  ['Foods', 'Consumer Defensive', 'Packaged Foods'],
  ['Brands', 'Consumer Cyclical', 'Apparel Retail'],
  ['Logistics', 'Industrials', 'Integrated Freight & Logistics'],
  ['Industries', 'Industrials', 'Specialty Industrial Machinery'],
  ['Materials', 'Basic Materials', 'Specialty Chemicals'],
];
const OTHER = BY_NAME.map(([, sector, industry]) => [sector, industry] as const);
const PLACES: ReadonlyArray<readonly [string, string, string, string]> = [
  ['New York', 'NY', '10017', '212'], ['Boston', 'MA', '02110', '617'], ['Chicago', 'IL', '60606', '312'],
  ['Austin', 'TX', '78701', '512'], ['San Jose', 'CA', '95113', '408'], ['Seattle', 'WA', '98101', '206'],
  ['Denver', 'CO', '80202', '303'], ['Atlanta', 'GA', '30303', '404'], ['Charlotte', 'NC', '28202', '704'],
  ['Minneapolis', 'MN', '55402', '612'], ['Columbus', 'OH', '43215', '614'], ['Phoenix', 'AZ', '85004', '602'],
];
const FIRST = ['James', 'Mary', 'Robert', 'Patricia', 'Michael', 'Linda', 'David', 'Susan', 'Daniel', 'Karen', 'Thomas', 'Laura'];
const LAST = ['Chen', 'Garcia', 'Miller', 'Okafor', 'Patel', 'Schmidt', 'Nakamura', 'Rossi', 'Johnson', 'Kowalski', 'Haddad', 'Lindqvist'];
const STREETS = ['Main Street', 'Market Street', 'Park Avenue', 'Commerce Drive', 'Innovation Way', 'Harbor Boulevard'];

/** ISO 6166 check digit: letters as 10–35, then Luhn over the digit string. */
export function isinCheckDigit(body: string): string {
  const digits = [...body].map((c) => (/\d/.test(c) ? c : String(c.charCodeAt(0) - 55))).join('');
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) d *= 2;
    sum += Math.floor(d / 10) + (d % 10);
  }
  return String((10 - (sum % 10)) % 10);
}

export function companyFacts(seed: number, s: SandboxSymbol): CompanyFacts {
  const rng = createRng(seed, `fmp-profile:${s.symbol}`);
  const matched = BY_NAME.find(([word]) => s.name.includes(word));
  const [sector, industry] = s.type === 'ETF' ? ['Financial Services', 'Asset Management'] : matched ? [matched[1], matched[2]] : rng.pick(OTHER);
  const [city, state, zip, area] = rng.pick(PLACES);
  const slug = s.name.split(' ').slice(0, 2).join('').toLowerCase().replace(/[^a-z0-9]/g, '');
  const cusip = stableCusip(s.symbol);
  const body = `US${cusip}`;
  return {
    sector,
    industry,
    ceo: s.type === 'ETF' ? '' : `${rng.chance(0.5) ? 'Mr.' : 'Ms.'} ${rng.pick(FIRST)} ${rng.pick(LAST)}`,
    website: `https://www.${slug}.com`,
    description: s.type === 'ETF'
      ? `The ${s.name} seeks to track the performance of its underlying index.`
      : `${s.name} operates in the ${industry.toLowerCase()} industry in the United States.`,
    fullTimeEmployees: s.type === 'ETF' ? '' : String(rng.int(40, 120_000)),
    phone: `(${area}) ${rng.int(200, 999)}-${String(rng.int(0, 9999)).padStart(4, '0')}`,
    address: `${rng.int(1, 2500)} ${rng.pick(STREETS)}`,
    city,
    state,
    zip,
    cusip,
    isin: body + isinCheckDigit(body),
    beta: Math.round(rng.uniform(0.4, 1.9) * 1000) / 1000,
  };
}
