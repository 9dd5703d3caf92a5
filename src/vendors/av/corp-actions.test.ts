import { describe, expect, it } from 'vitest';
import { BadRequest, EntitlementDenied, Malformed } from '../../http/index.js';
import { isSmallRatio } from './corp-actions.js';
import { TEST_BASE, TEST_KEY, avResponse, setupAv, textResponse } from './test-support/harness.js';

const START = Date.UTC(2026, 2, 2, 15, 0, 0);
const AT = '2026-03-02T15:00:00.000Z';
const NO_FIELDS = { split_ratio: null, cash_amount: null, currency: null, record_date: null, pay_date: null, declared_date: null, new_symbol: null };
const json = (body: unknown) => textResponse(JSON.stringify(body));

describe('AV fetchSplits', () => {
  const uri = `${TEST_BASE}/query?function=SPLITS&symbol=IBM&apikey=***`;

  it('maps the IBM fixture exactly: split_factor is already new shares per old share', async () => {
    const { client, fake, notices } = setupAv(() => avResponse('splits_IBM.json'), START);
    const rows = await client.fetchSplits('IBM');
    expect(fake.seen.map((s) => s.url)).toEqual([uri.replace('***', TEST_KEY)]);
    const lineage = { source_name: 'av', source_uri: uri, ingested_at: AT };
    expect(rows).toEqual([
      { ...NO_FIELDS, symbol: 'IBM', action: 'split', ex_date: '2021-11-04', split_ratio: 1.046, ...lineage },
      { ...NO_FIELDS, symbol: 'IBM', action: 'split', ex_date: '1999-05-27', split_ratio: 2, ...lineage },
    ]);
    // The Kyndryl spin-off, booked by AV as a 1.0460 split: kept, and flagged.
    expect(notices).toEqual([
      {
        endpoint: 'av.splits',
        kind: 'flagged',
        value: '"IBM 2021-11-04 1.046"',
        reason: 'split factor is no small whole-number ratio: probably a spin-off booked as a split',
      },
    ]);
  });

  it('reads a reverse split as a fraction (1-for-10 → 0.1) without flagging it', async () => {
    const { client, notices } = setupAv(() => json({ symbol: 'XYZ', data: [{ effective_date: '2020-05-01', split_factor: '0.1000' }] }), START);
    expect((await client.fetchSplits('XYZ')).map((r) => r.split_ratio)).toEqual([0.1]);
    expect(notices).toEqual([]);
  });

  it('accepts {}, data: [] and the named `splits` array', async () => {
    for (const body of [{}, { symbol: 'IBM', data: [] }]) {
      const { client } = setupAv(() => json(body), START);
      expect(await client.fetchSplits('IBM')).toEqual([]);
    }
    const { client } = setupAv(() => json({ symbol: 'IBM', splits: [{ effective_date: '1999-05-27', split_factor: '2.0000' }] }), START);
    expect((await client.fetchSplits('IBM')).map((r) => [r.ex_date, r.split_ratio])).toEqual([['1999-05-27', 2]]);
  });

  it('quarantines `a:b` notation, non-positive factors, missing arrays and payloads for another symbol', async () => {
    const cases: [unknown, RegExp][] = [
      [{ symbol: 'IBM', data: [{ effective_date: '1999-05-27', split_factor: '2:1' }] }, /split_factor: expected a decimal string/],
      [{ symbol: 'IBM', data: [{ effective_date: '1999-05-27', split_factor: '0.0000' }] }, /split_factor must be positive/],
      [{ symbol: 'IBM', data: [{ date: '1999-05-27', split_factor: '2.0000' }] }, /effective_date/],
      [{ symbol: 'IBM' }, /expected a "data" array or the empty object/],
      [{ symbol: 'MSFT', data: [] }, /payload is for "MSFT", not IBM/],
    ];
    for (const [body, reason] of cases) {
      const { client } = setupAv(() => json(body), START);
      const error = (await client.fetchSplits('IBM').catch((e: unknown) => e)) as Malformed;
      expect(error, JSON.stringify(body)).toBeInstanceOf(Malformed);
      expect(error.reason).toMatch(reason);
      expect(error.rawText).toBe(JSON.stringify(body));
    }
  });

  it('treats the other spelling of a class share as the same symbol', async () => {
    const { client } = setupAv(() => json({ symbol: 'BRK-B', data: [] }), START);
    expect(await client.fetchSplits('brk.b')).toEqual([]);
  });
});

describe('AV fetchDividends', () => {
  const uri = `${TEST_BASE}/query?function=DIVIDENDS&symbol=IBM&apikey=***`;

  it('maps the IBM fixture exactly from ex_dividend_date (not ex_date)', async () => {
    const { client, fake, notices } = setupAv(() => avResponse('dividends_IBM.json'), START);
    const rows = await client.fetchDividends('IBM');
    expect(fake.seen.map((s) => s.url)).toEqual([uri.replace('***', TEST_KEY)]);
    expect(rows[0]).toEqual({
      ...NO_FIELDS,
      symbol: 'IBM',
      action: 'dividend',
      ex_date: '2024-08-09',
      cash_amount: 1.67,
      record_date: '2024-08-09',
      pay_date: '2024-09-10',
      declared_date: '2024-07-29',
      source_name: 'av',
      source_uri: uri,
      ingested_at: AT,
    });
    expect(rows.map((r) => [r.ex_date, r.cash_amount, r.declared_date, r.record_date, r.pay_date, r.currency])).toEqual([
      ['2024-08-09', 1.67, '2024-07-29', '2024-08-09', '2024-09-10', null],
      ['2024-05-09', 1.67, '2024-04-30', '2024-05-10', '2024-06-10', null],
      ['2024-02-08', 1.66, '2024-01-30', '2024-02-09', '2024-03-09', null],
      ['2023-11-09', 1.66, '2023-10-30', '2023-11-10', '2023-12-09', null],
    ]);
    expect(notices).toEqual([]);
  });

  it('turns "None" and null dates into null and skips rows without an ex-date or a positive amount', async () => {
    const body = {
      symbol: 'IBM',
      data: [
        { ex_dividend_date: '1962-02-07', declaration_date: 'None', record_date: 'None', payment_date: null, amount: '0.0061' },
        { ex_dividend_date: 'None', declaration_date: '2026-04-28', record_date: 'None', payment_date: 'None', amount: '1.68' },
        { ex_dividend_date: '2010-01-05', declaration_date: 'None', record_date: 'None', payment_date: 'None', amount: '0' },
        { ex_dividend_date: '2011-01-05', amount: 'None' },
        { ex_dividend_date: null, amount: '1.00' },
      ],
    };
    const { client, notices } = setupAv(() => json(body), START);
    const rows = await client.fetchDividends('IBM');
    expect(rows.map((r) => [r.ex_date, r.cash_amount, r.declared_date, r.record_date, r.pay_date])).toEqual([['1962-02-07', 0.0061, null, null, null]]);
    expect(notices.map((n) => [n.kind, n.value, n.reason])).toEqual([
      ['skipped', '"IBM None 1.68"', 'dividend without an ex_dividend_date'],
      ['skipped', '"IBM 2010-01-05 0"', 'dividend amount is not positive'],
      ['skipped', '"IBM 2011-01-05 None"', 'dividend without an amount'],
      ['skipped', '"IBM None 1"', 'dividend without an ex_dividend_date'],
    ]);
  });

  it('quarantines the renamed-key drift that broke the original pipeline (ex_date instead of ex_dividend_date)', async () => {
    const body = { symbol: 'IBM', data: [{ ex_date: '2024-08-09', amount: '1.67' }] };
    const { client } = setupAv(() => json(body), START);
    const error = (await client.fetchDividends('IBM').catch((e: unknown) => e)) as Malformed;
    expect(error).toBeInstanceOf(Malformed);
    expect(error.reason).toMatch(/data\.0\.ex_dividend_date/);
  });

  it('quarantines junk dates and amounts', async () => {
    for (const row of [
      { ex_dividend_date: '08/09/2024', amount: '1.67' },
      { ex_dividend_date: '2024-08-09', amount: '$1.67' },
      { ex_dividend_date: '2024-08-09', amount: '1.67', payment_date: 'soon' },
    ]) {
      const { client } = setupAv(() => json({ symbol: 'IBM', data: [row] }), START);
      await expect(client.fetchDividends('IBM'), JSON.stringify(row)).rejects.toThrow(Malformed);
    }
  });

  it('accepts {} as no dividends and passes refusals through', async () => {
    const empty = setupAv(() => avResponse('empty_object.json'), START);
    expect(await empty.client.fetchDividends('SPY')).toEqual([]);
    const premium = setupAv(() => avResponse('info_premium_endpoint.json'), START);
    await expect(premium.client.fetchDividends('IBM')).rejects.toThrow(EntitlementDenied);
    const invalid = setupAv(() => avResponse('error_invalid_api_call.json'), START);
    await expect(invalid.client.fetchDividends('ZZZZ')).rejects.toThrow(BadRequest);
  });
});

describe('isSmallRatio', () => {
  it('accepts whole-number ratios in AV four-decimal form and rejects spin-off factors', () => {
    expect([2, 0.5, 1.5, 0.6667, 0.1, 0.05, 0.0333, 4, 1.25].map(isSmallRatio)).toEqual([true, true, true, true, true, true, true, true, true]);
    expect([1.046, 1.02, 0.9873].map(isSmallRatio)).toEqual([false, false, false]);
  });
});
