import { describe, expect, it } from 'vitest';
import { BadRequest } from '../../http/index.js';
import { normalizeOptionSymbols, parseOccSymbol } from './occ.js';

describe('parseOccSymbol', () => {
  it('reads the notes example: root, yymmdd, put, strike x 1000 on 8 digits', () => {
    expect(parseOccSymbol('AAPL240419P00140000')).toEqual({ contract: 'AAPL240419P00140000', root: 'AAPL', underlying: 'AAPL', expiration: '2024-04-19', right: 'P', strike: 140 });
  });

  it("strips Polygon's O: prefix", () => {
    expect(parseOccSymbol('O:AAPL211119C00085000')).toEqual({ contract: 'AAPL211119C00085000', root: 'AAPL', underlying: 'AAPL', expiration: '2021-11-19', right: 'C', strike: 85 });
  });

  it('splits roots of 1 to 6 characters, digits included, from the fixed 15-character tail', () => {
    const read = (symbol: string) => {
      const parsed = parseOccSymbol(symbol);
      return parsed && [parsed.root, parsed.underlying, parsed.expiration, parsed.right, parsed.strike];
    };
    expect(read('A220520C00065000')).toEqual(['A', 'A', '2022-05-20', 'C', 65]);
    expect(read('GOOGL240119C00135500')).toEqual(['GOOGL', 'GOOGL', '2024-01-19', 'C', 135.5]);
    expect(read('SPXW240419C05000000')).toEqual(['SPXW', 'SPXW', '2024-04-19', 'C', 5000]);
    expect(read('EVRI240119C00002500')).toEqual(['EVRI', 'EVRI', '2024-01-19', 'C', 2.5]);
    expect(read('BRKB240621P00410000')).toEqual(['BRKB', 'BRKB', '2024-06-21', 'P', 410]);
    expect(read('ABCDEF251219P00000500')).toEqual(['ABCDEF', 'ABCDEF', '2025-12-19', 'P', 0.5]);
    // An adjusted contract (root + digit) still has AAPL underneath.
    expect(read('AAPL1240419C00140000')).toEqual(['AAPL1', 'AAPL', '2024-04-19', 'C', 140]);
    expect(read('GME12240419C00010000')).toEqual(['GME12', 'GME', '2024-04-19', 'C', 10]);
    expect(read('X991231C99999999')).toEqual(['X', 'X', '2099-12-31', 'C', 99999.999]);
  });

  it('refuses what is not a real contract symbol', () => {
    for (const bad of [
      'AAPL240230P00140000', // February 30
      'AAPL241301C00140000', // month 13
      'ABCDEFG240419C00140000', // 7-character root
      'aapl240419p00140000',
      'AAPL  240419P00140000', // OCC padding
      'AAPL240419X00140000',
      'AAPL240419P0014000', // 7 strike digits
      '12345240419C00100000', // no letter in the root
      '240419C00100000', // no root at all
      'O:',
      '',
    ]) {
      expect(parseOccSymbol(bad), bad).toBeUndefined();
    }
  });
});

describe('normalizeOptionSymbols', () => {
  it('trims, strips O:, dedupes', () => {
    expect(normalizeOptionSymbols([' SPY240426C00555000', 'O:SPY240426C00555000', 'SPY240426C00550000'], 'alpaca.options.bars')).toEqual(['SPY240426C00555000', 'SPY240426C00550000']);
  });

  it('refuses an empty list or any bad symbol, naming it', () => {
    expect(() => normalizeOptionSymbols([], 'alpaca.options.bars')).toThrow(BadRequest);
    expect(() => normalizeOptionSymbols(['SPY240426C00555000', 'AAPL'], 'alpaca.options.bars')).toThrow(/invalid OCC option symbol\(s\): "AAPL"/);
  });
});
