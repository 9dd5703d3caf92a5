import { describe, expect, it } from 'vitest';
import { BadRequest, Malformed, RateLimited } from '../../http/index.js';
import { TEST_BASE, TEST_KEY, avResponse, setupAv, textResponse } from './test-support/harness.js';

const START = Date.UTC(2026, 2, 2, 15, 0, 0);
const AT = '2026-03-02T15:00:00.000Z';
const HEADER = 'symbol,name,exchange,assetType,ipoDate,delistingDate,status';
const csv = (...lines: string[]) => textResponse(lines.join('\r\n') + '\r\n', 'text/csv');

describe('AV fetchListingStatus', () => {
  it('maps the active sample: every row, `null` text to null, redacted lineage', async () => {
    const { client, fake } = setupAv(() => avResponse('listing_status_active_sample.csv'), START);
    const rows = await client.fetchListingStatus();
    expect(fake.seen.map((s) => s.url)).toEqual([`${TEST_BASE}/query?function=LISTING_STATUS&state=active&apikey=${TEST_KEY}`]);
    expect(rows[0]).toEqual({
      symbol: 'A',
      name: 'Agilent Technologies Inc',
      exchange: 'NYSE',
      asset_type: 'Stock',
      status: 'active',
      ipo_date: '1999-11-18',
      delisted_date: null,
      source_name: 'av',
      source_uri: `${TEST_BASE}/query?function=LISTING_STATUS&state=active&apikey=***`,
      ingested_at: AT,
    });
    expect(rows.map((r) => [r.symbol, r.name, r.exchange, r.asset_type, r.status, r.ipo_date, r.delisted_date])).toEqual([
      ['A', 'Agilent Technologies Inc', 'NYSE', 'Stock', 'active', '1999-11-18', null],
      ['AA', 'Alcoa Corp', 'NYSE', 'Stock', 'active', '2016-10-18', null],
      ['AAA', 'AXS First Priority CLO Bond ETF', 'NYSE ARCA', 'ETF', 'active', '2020-09-09', null],
      ['AAAU', 'Goldman Sachs Physical Gold ETF', 'BATS', 'ETF', 'active', '2018-08-15', null],
    ]);
  });

  it('maps the delisted sample to delisted symbol rows with AV\'s own dates, as of a date', async () => {
    const { client, fake } = setupAv(() => avResponse('listing_status_delisted_sample.csv'), START);
    const rows = await client.fetchListingStatus({ state: 'delisted', date: '2023-06-30' });
    expect(fake.seen[0]?.url).toBe(`${TEST_BASE}/query?function=LISTING_STATUS&state=delisted&date=2023-06-30&apikey=${TEST_KEY}`);
    expect(rows.map((r) => [r.symbol, r.name, r.status, r.ipo_date, r.delisted_date])).toEqual([
      ['MON', 'Monsanto Co', 'delisted', '2000-10-18', '2018-06-07'],
      ['TWTR', 'Twitter Inc', 'delisted', '2013-11-07', '2022-10-28'],
    ]);
  });

  it('reads quoted names, LF line ends, reordered and extra columns, and empty or `null` cells', async () => {
    const body = [
      'status,symbol,assetType,name,exchange,ipoDate,delistingDate,extra',
      'Active,BRK-B,Stock,"Berkshire Hathaway, Inc. ""B""",NYSE,1996-05-09,null,x',
      'Delisted,OLD,Stock,Old Co,,,2019-01-02,',
      'active,EMP,ETF,,NYSE ARCA,null,,y',
      '',
    ].join('\n');
    const { client } = setupAv(() => textResponse(body, 'text/csv'), START);
    const rows = await client.fetchListingStatus();
    expect(rows.map((r) => [r.symbol, r.name, r.exchange, r.asset_type, r.status, r.ipo_date, r.delisted_date])).toEqual([
      ['BRK-B', 'Berkshire Hathaway, Inc. "B"', 'NYSE', 'Stock', 'active', '1996-05-09', null],
      ['OLD', 'Old Co', null, 'Stock', 'delisted', null, '2019-01-02'],
      ['EMP', null, 'NYSE ARCA', 'ETF', 'active', null, null],
    ]);
  });

  it('skips junk symbols with a notice and drops exact duplicates, keeping reused tickers apart', async () => {
    const { client, notices } = setupAv(
      () =>
        csv(
          HEADER,
          'MON,Monsanto Co,NYSE,Stock,2000-10-18,2018-06-07,Delisted',
          'MON,Monsanto Co,NYSE,Stock,2000-10-18,2018-06-07,Delisted',
          'MON,Monolith Inc,NASDAQ,Stock,2021-01-05,null,Active',
          '../x,Evil,NYSE,Stock,null,null,Active',
        ),
      START,
    );
    const rows = await client.fetchListingStatus({ state: 'delisted' });
    expect(rows.map((r) => [r.symbol, r.name, r.status])).toEqual([
      ['MON', 'Monsanto Co', 'delisted'],
      ['MON', 'Monolith Inc', 'active'],
    ]);
    expect(notices).toEqual([{ endpoint: 'av.listing_status', kind: 'skipped', value: '"../x"', reason: 'CSV line 5: symbol fails the sanity check' }]);
  });

  it('rejects drifted or broken CSV as Malformed, naming the line, with the redacted body', async () => {
    const cases: [Response, string][] = [
      [csv('symbol,name,exchange,assetType,ipoDate,status', 'A,Agilent,NYSE,Stock,1999-11-18,Active'), 'CSV header lacks delistingDate (got symbol,name,exchange,assetType,ipoDate,status)'],
      [csv(HEADER, 'A,Agilent,NYSE,Stock,1999-11-18,null'), 'CSV line 2: 6 fields, header has 7'],
      [csv(HEADER, 'A,Agilent,NYSE,Stock,1999-11-18,null,Suspended'), 'CSV line 2: status: Invalid option: expected one of "active"|"delisted"'],
      [csv(HEADER, 'A,Agilent,NYSE,Stock,11/18/1999,null,Active'), 'CSV line 2: ipoDate: expected a date YYYY-MM-DD or "None"'],
      [csv(HEADER, 'A,"Agilent,NYSE,Stock,1999-11-18,null,Active'), 'CSV line 2: unterminated quoted field'],
      [textResponse('', 'text/csv'), 'empty body: no CSV header'],
      [textResponse('{}'), 'expected CSV, got a JSON object'],
    ];
    for (const [response, reason] of cases) {
      const { client } = setupAv(() => response, START);
      const error = (await client.fetchListingStatus().catch((e: unknown) => e)) as Malformed;
      expect(error, reason).toBeInstanceOf(Malformed);
      expect(error.reason).toBe(reason);
      expect(error.url).toBe(`${TEST_BASE}/query?function=LISTING_STATUS&state=active&apikey=***`);
    }
  });

  it('masks the key in a quarantined CSV body that contains it', async () => {
    const { client } = setupAv(() => csv(`apikey=${TEST_KEY},${TEST_KEY}`, 'x,y'), START);
    const error = (await client.fetchListingStatus().catch((e: unknown) => e)) as Malformed;
    expect(error).toBeInstanceOf(Malformed);
    expect(error.rawText).not.toContain(TEST_KEY);
    expect(error.message).not.toContain(TEST_KEY);
    expect(error.rawText).toContain('***');
  });

  it('classifies the JSON throttle a CSV endpoint answers with', async () => {
    const { client } = setupAv(() => avResponse('info_daily_limit_25.json'), START);
    await expect(client.fetchListingStatus()).rejects.toThrow(RateLimited);
  });

  it('refuses an as-of date before 2010-01-01 or not a date, before any request', async () => {
    const { client, fake } = setupAv(() => avResponse('listing_status_active_sample.csv'), START);
    await expect(client.fetchListingStatus({ date: '2009-12-31' })).rejects.toThrow(BadRequest);
    await expect(client.fetchListingStatus({ date: '2023-02-30' })).rejects.toThrow(BadRequest);
    expect(fake.seen).toHaveLength(0);
  });
});

describe('AV fetchDelistings', () => {
  it('maps the delisted sample exactly (TWTR 2022-10-28 is AV\'s date, not Polygon\'s 10-31)', async () => {
    const { client, fake } = setupAv(() => avResponse('listing_status_delisted_sample.csv'), START);
    const rows = await client.fetchDelistings();
    const uri = `${TEST_BASE}/query?function=LISTING_STATUS&state=delisted&apikey=***`;
    expect(fake.seen[0]?.url).toBe(uri.replace('***', TEST_KEY));
    expect(rows).toEqual([
      { symbol: 'MON', delisted_date: '2018-06-07', name: 'Monsanto Co', exchange: 'NYSE', ipo_date: '2000-10-18', source_name: 'av', source_uri: uri, ingested_at: AT },
      { symbol: 'TWTR', delisted_date: '2022-10-28', name: 'Twitter Inc', exchange: 'NYSE', ipo_date: '2013-11-07', source_name: 'av', source_uri: uri, ingested_at: AT },
    ]);
  });

  it('skips a delisted record without a delisting date, with a notice', async () => {
    const { client, notices } = setupAv(() => csv(HEADER, 'GONE,Gone Co,NYSE,Stock,2001-01-02,null,Delisted', 'TWTR,Twitter Inc,NYSE,Stock,2013-11-07,2022-10-28,Delisted'), START);
    expect((await client.fetchDelistings()).map((r) => r.symbol)).toEqual(['TWTR']);
    expect(notices).toEqual([{ endpoint: 'av.listing_status', kind: 'skipped', value: '"GONE"', reason: 'delisted record without a delistingDate' }]);
  });
});
