import { describe, expect, it } from 'vitest';
import { CsvError, parseCsv } from './csv.js';

const fields = (text: string) => parseCsv(text).map((r) => r.fields);

describe('parseCsv', () => {
  it('reads CRLF and LF line ends alike, with or without a final line end', () => {
    const expected = [
      ['a', 'b'],
      ['1', '2'],
    ];
    expect(fields('a,b\r\n1,2\r\n')).toEqual(expected);
    expect(fields('a,b\n1,2\n')).toEqual(expected);
    expect(fields('a,b\n1,2')).toEqual(expected);
  });

  it('keeps commas, doubled quotes and line breaks inside quoted fields', () => {
    const records = parseCsv('symbol,name\r\nX,"Foo, Inc."\r\nY,"The ""Best"" Co"\r\nZ,"two\r\nlines"\r\nW,""\r\n');
    expect(records.map((r) => r.fields)).toEqual([
      ['symbol', 'name'],
      ['X', 'Foo, Inc.'],
      ['Y', 'The "Best" Co'],
      ['Z', 'two\r\nlines'],
      ['W', ''],
    ]);
    expect(records.map((r) => r.line)).toEqual([1, 2, 3, 4, 6]);
  });

  it('keeps empty fields, drops a byte-order mark and blank lines', () => {
    expect(fields('\uFEFFa,b,c\n\n1,,3\n,,\n\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '', '3'],
      ['', '', ''],
    ]);
  });

  it('returns nothing for an empty text', () => {
    expect(parseCsv('')).toEqual([]);
  });

  it('refuses an unterminated quote and text after a closing quote, naming the line', () => {
    expect(() => parseCsv('a,b\n1,"open')).toThrow(new CsvError(2, 'unterminated quoted field'));
    expect(() => parseCsv('a,b\n1,"x"y\n')).toThrow('CSV line 2: unexpected "y" after a closing quote');
  });

  it('keeps a quote that appears in the middle of an unquoted field as text', () => {
    expect(fields('a\n5" disk\n')).toEqual([['a'], ['5" disk']]);
  });
});
