import { describe, expect, it } from 'vitest';
import {
  CalendarRangeError,
  holidayName,
  isSession,
  lastCompletedSession,
  nextSession,
  previousSession,
  sessionDatesBetween,
  sessionOf,
  sessionsBetween,
} from './index.js';

const HOUR_MS = 3_600_000;
const at = (iso: string): number => Date.parse(iso);
const sessionsInYear = (year: number): number => sessionsBetween(`${year}-01-01`, `${year}-12-31`).length;

describe('session counts', () => {
  // 2000-2022 equal exchange_calendars' XNYS session table; 2023-2026 equal NYSE's published calendars.
  const expected: Record<number, number> = {
    2000: 252, 2001: 248, 2002: 252, 2003: 252, 2004: 252, 2005: 252, 2006: 251, 2007: 251, 2008: 253,
    2009: 252, 2010: 252, 2011: 252, 2012: 250, 2013: 252, 2014: 252, 2015: 252, 2016: 252, 2017: 251,
    2018: 251, 2019: 252, 2020: 253, 2021: 252, 2022: 251, 2023: 250, 2024: 252, 2025: 250, 2026: 251,
  };
  it.each(Object.entries(expected))('%s has %i sessions', (year, count) => {
    expect(sessionsInYear(Number(year))).toBe(count);
  });

  it('covers forward years up to 2100', () => {
    const last = sessionsBetween('2100-12-01', '2100-12-31');
    expect(last.at(-1)?.date).toBe('2100-12-31');
    expect(sessionsInYear(2100)).toBeGreaterThan(248);
  });
});

describe('special closures', () => {
  const closures: Array<[string, string]> = [
    ['2001-09-11', 'September 11 attacks'],
    ['2001-09-12', 'September 11 attacks'],
    ['2001-09-13', 'September 11 attacks'],
    ['2001-09-14', 'September 11 attacks'],
    ['2004-06-11', 'National Day of Mourning for Ronald Reagan'],
    ['2007-01-02', 'National Day of Mourning for Gerald Ford'],
    ['2012-10-29', 'Hurricane Sandy'],
    ['2012-10-30', 'Hurricane Sandy'],
    ['2018-12-05', 'National Day of Mourning for George H. W. Bush'],
    ['2025-01-09', 'National Day of Mourning for Jimmy Carter'],
  ];
  it.each(closures)('%s is closed (%s)', (date, name) => {
    expect(isSession(date)).toBe(false);
    expect(sessionOf(date)).toBeUndefined();
    expect(holidayName(date)).toBe(name);
  });

  it('reopens around them', () => {
    expect(sessionDatesBetween('2001-09-07', '2001-09-18')).toEqual(['2001-09-07', '2001-09-10', '2001-09-17', '2001-09-18']);
    expect(sessionDatesBetween('2012-10-26', '2012-11-01')).toEqual(['2012-10-26', '2012-10-31', '2012-11-01']);
    expect(sessionDatesBetween('2025-01-08', '2025-01-10')).toEqual(['2025-01-08', '2025-01-10']);
  });
});

describe('rule-based holidays', () => {
  it('closes every 2024 holiday and names it', () => {
    const holidays: Array<[string, string]> = [
      ['2024-01-01', "New Year's Day"],
      ['2024-01-15', 'Martin Luther King Jr. Day'],
      ['2024-02-19', "Washington's Birthday"],
      ['2024-03-29', 'Good Friday'],
      ['2024-05-27', 'Memorial Day'],
      ['2024-06-19', 'Juneteenth'],
      ['2024-07-04', 'Independence Day'],
      ['2024-09-02', 'Labor Day'],
      ['2024-11-28', 'Thanksgiving Day'],
      ['2024-12-25', 'Christmas Day'],
    ];
    for (const [date, name] of holidays) expect([date, isSession(date), holidayName(date)]).toEqual([date, false, name]);
  });

  it('computes Good Friday from Easter', () => {
    const goodFridays = ['2000-04-21', '2001-04-13', '2008-03-21', '2011-04-22', '2019-04-19', '2024-03-29', '2025-04-18', '2038-04-23', '2100-03-26'];
    for (const date of goodFridays) expect([date, holidayName(date)]).toEqual([date, 'Good Friday']);
    expect(isSession('2024-03-28')).toBe(true);
    expect(isSession('2024-04-01')).toBe(true);
  });

  it('observes Juneteenth from 2022 on only', () => {
    expect(isSession('2021-06-18')).toBe(true); // June 19, 2021 was a Saturday: no observance yet
    expect(isSession('2022-06-20')).toBe(false); // Sunday the 19th, observed Monday
    expect(holidayName('2022-06-20')).toBe('Juneteenth (observed)');
    expect(isSession('2023-06-19')).toBe(false);
    expect(isSession('2027-06-18')).toBe(false); // Saturday the 19th, observed Friday
  });

  it('does not observe a Saturday New Year on the Friday before, but a Sunday one on the Monday after', () => {
    expect(isSession('2021-12-31')).toBe(true);
    expect(isSession('2010-12-31')).toBe(true);
    expect(holidayName('2022-01-01')).toBeUndefined();
    expect(isSession('2022-01-03')).toBe(true);
    expect(isSession('2017-01-02')).toBe(false);
    expect(holidayName('2017-01-02')).toBe("New Year's Day (observed)");
    expect(isSession('2023-01-02')).toBe(false);
  });

  it('moves Saturday Independence Day and Christmas to Friday, Sunday ones to Monday', () => {
    expect(holidayName('2020-07-03')).toBe('Independence Day (observed)');
    expect(holidayName('2021-07-05')).toBe('Independence Day (observed)');
    expect(holidayName('2021-12-24')).toBe('Christmas Day (observed)');
    expect(holidayName('2022-12-26')).toBe('Christmas Day (observed)');
    expect(isSession('2022-12-23')).toBe(true);
  });

  it('keeps Columbus Day and Veterans Day as sessions', () => {
    expect(isSession('2024-10-14')).toBe(true);
    expect(isSession('2024-11-11')).toBe(true);
  });

  it('has no holiday name on sessions and weekends', () => {
    expect(holidayName('2024-07-05')).toBeUndefined();
    expect(holidayName('2024-07-06')).toBeUndefined();
  });
});

describe('early closes', () => {
  it('closes at 13:00 New York (18:00Z in winter, 17:00Z in summer)', () => {
    for (const date of ['2024-07-03', '2024-11-29', '2024-12-24']) {
      const session = sessionOf(date);
      expect(session?.earlyClose).toBe(true);
      expect(session?.close).toBe(`${date}T${date.endsWith('07-03') ? '17' : '18'}:00:00.000Z`);
    }
    expect(sessionOf('2024-07-03')).toEqual({
      date: '2024-07-03',
      openMs: at('2024-07-03T13:30:00.000Z'),
      closeMs: at('2024-07-03T17:00:00.000Z'),
      open: '2024-07-03T13:30:00.000Z',
      close: '2024-07-03T17:00:00.000Z',
      earlyClose: true,
    });
  });

  it('matches the full list of early closes 2000-2026', () => {
    const expected = [
      '2000-07-03', '2000-11-24', '2001-07-03', '2001-11-23', '2001-12-24', '2002-07-05', '2002-11-29', '2002-12-24',
      '2003-07-03', '2003-11-28', '2003-12-24', '2003-12-26', '2004-11-26', '2005-11-25', '2006-07-03', '2006-11-24',
      '2007-07-03', '2007-11-23', '2007-12-24', '2008-07-03', '2008-11-28', '2008-12-24', '2009-11-27', '2009-12-24',
      '2010-11-26', '2011-11-25', '2012-07-03', '2012-11-23', '2012-12-24', '2013-07-03', '2013-11-29', '2013-12-24',
      '2014-07-03', '2014-11-28', '2014-12-24', '2015-11-27', '2015-12-24', '2016-11-25', '2017-07-03', '2017-11-24',
      '2018-07-03', '2018-11-23', '2018-12-24', '2019-07-03', '2019-11-29', '2019-12-24', '2020-11-27', '2020-12-24',
      '2021-11-26', '2022-11-25', '2023-07-03', '2023-11-24', '2024-07-03', '2024-11-29', '2024-12-24', '2025-07-03',
      '2025-11-28', '2025-12-24', '2026-11-27', '2026-12-24',
    ];
    const early = sessionsBetween('2000-01-01', '2026-12-31').filter((s) => s.earlyClose);
    expect(early.map((s) => s.date)).toEqual(expected);
    for (const s of early) expect(s.closeMs - s.openMs).toBe(3.5 * HOUR_MS);
  });

  it('shortened the Friday after a Thursday July 4 until 2012, the Wednesday before from 2013', () => {
    expect(sessionOf('2002-07-03')?.earlyClose).toBe(false);
    expect(sessionOf('2002-07-05')?.earlyClose).toBe(true);
    expect(sessionOf('2013-07-03')?.earlyClose).toBe(true);
    expect(sessionOf('2013-07-05')?.earlyClose).toBe(false);
    expect(sessionOf('2019-07-03')?.earlyClose).toBe(true);
    expect(sessionOf('2019-07-05')?.earlyClose).toBe(false);
  });
});

describe('open and close instants', () => {
  it('follow daylight saving time', () => {
    expect(sessionOf('2024-03-08')).toMatchObject({ open: '2024-03-08T14:30:00.000Z', close: '2024-03-08T21:00:00.000Z', earlyClose: false });
    expect(sessionOf('2024-03-11')).toMatchObject({ open: '2024-03-11T13:30:00.000Z', close: '2024-03-11T20:00:00.000Z', earlyClose: false });
    expect(sessionOf('2024-11-01')?.open).toBe('2024-11-01T13:30:00.000Z');
    expect(sessionOf('2024-11-04')?.open).toBe('2024-11-04T14:30:00.000Z');
    expect(sessionOf('2006-03-31')?.open).toBe('2006-03-31T14:30:00.000Z'); // DST began in April before 2007
  });

  it('give epoch ms equal to the ISO strings', () => {
    for (const s of sessionsBetween('2024-01-01', '2024-12-31')) {
      expect(Date.parse(s.open)).toBe(s.openMs);
      expect(Date.parse(s.close)).toBe(s.closeMs);
    }
  });
});

describe('previousSession / nextSession', () => {
  it('step over weekends and holidays, strictly', () => {
    expect(previousSession('2024-07-05')).toBe('2024-07-03');
    expect(nextSession('2024-07-03')).toBe('2024-07-05');
    expect(previousSession('2024-04-01')).toBe('2024-03-28');
    expect(nextSession('2024-03-28')).toBe('2024-04-01');
    expect(nextSession('2001-09-10')).toBe('2001-09-17');
    expect(previousSession('2001-09-17')).toBe('2001-09-10');
    expect(previousSession('2025-01-01')).toBe('2024-12-31');
    expect(nextSession('2024-12-31')).toBe('2025-01-02');
    expect(nextSession('2024-07-06')).toBe('2024-07-08'); // a Saturday
    expect(previousSession('2000-01-04')).toBe('2000-01-03');
  });

  it('refuse to leave the calendar range', () => {
    expect(() => previousSession('2000-01-03')).toThrow(CalendarRangeError);
    expect(() => nextSession('2100-12-31')).toThrow(CalendarRangeError);
  });
});

describe('lastCompletedSession', () => {
  it('is today once the close has passed, the previous session before', () => {
    expect(lastCompletedSession(at('2024-07-03T16:59:59.999Z'))).toBe('2024-07-02');
    expect(lastCompletedSession(at('2024-07-03T17:00:00.000Z'))).toBe('2024-07-03');
    expect(lastCompletedSession(at('2024-03-08T20:59:00.000Z'))).toBe('2024-03-07');
    expect(lastCompletedSession(at('2024-03-08T21:00:00.000Z'))).toBe('2024-03-08');
  });

  it('waits for the settle time', () => {
    const settle = 2 * HOUR_MS;
    expect(lastCompletedSession(at('2024-03-08T22:59:00.000Z'), settle)).toBe('2024-03-07');
    expect(lastCompletedSession(at('2024-03-08T23:00:00.000Z'), settle)).toBe('2024-03-08');
  });

  it('reaches back over weekends, holidays and New York midnight', () => {
    expect(lastCompletedSession(at('2024-07-08T12:00:00.000Z'))).toBe('2024-07-05'); // Monday morning
    expect(lastCompletedSession(at('2024-07-05T02:00:00.000Z'))).toBe('2024-07-03'); // July 4 evening in New York
    expect(lastCompletedSession(at('2024-03-30T12:00:00.000Z'))).toBe('2024-03-28'); // Saturday after Good Friday
  });

  it('refuses instants before the first session closed and bad settle times', () => {
    expect(() => lastCompletedSession(at('2000-01-03T12:00:00.000Z'))).toThrow(CalendarRangeError);
    expect(() => lastCompletedSession(at('2024-03-08T23:00:00.000Z'), -1)).toThrow(/settleMs/);
  });
});

describe('range and validation', () => {
  it('refuses dates outside 2000-01-01..2100-12-31, naming the value', () => {
    expect(() => isSession('1999-12-31')).toThrow('1999-12-31 is outside the NYSE calendar range 2000-01-01..2100-12-31');
    expect(() => sessionOf('2101-01-03')).toThrow(CalendarRangeError);
    expect(() => sessionsBetween('1999-12-01', '2000-01-31')).toThrow(CalendarRangeError);
  });

  it('refuses malformed dates, naming the value', () => {
    expect(() => isSession('2024-02-30')).toThrow('"2024-02-30"');
    expect(() => sessionOf('2024/01/02')).toThrow(CalendarRangeError);
    expect(() => holidayName('tomorrow')).toThrow('"tomorrow"');
  });

  it('returns an empty list when start is after end, and a single day when equal', () => {
    expect(sessionsBetween('2024-07-05', '2024-07-03')).toEqual([]);
    expect(sessionDatesBetween('2024-07-05', '2024-07-05')).toEqual(['2024-07-05']);
    expect(sessionDatesBetween('2024-07-06', '2024-07-07')).toEqual([]);
  });

  it('hands out sessions that callers cannot corrupt', () => {
    const session = sessionOf('2024-07-05');
    expect(Object.isFrozen(session)).toBe(true);
  });
});
