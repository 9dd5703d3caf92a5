import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  holidayName,
  isSession,
  lastCompletedSession,
  nextSession,
  nyDate,
  nyInstant,
  nyTime,
  previousSession,
  sessionOf,
  sessionsBetween,
} from './index.js';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const FIRST_DAY = Date.UTC(2000, 0, 1) / 86_400_000;
const LAST_DAY = Date.UTC(2100, 11, 31) / 86_400_000;

/** Any date of the calendar's range, keeping `margin` days from both ends. */
const dateArb = (margin = 0): fc.Arbitrary<string> =>
  fc.integer({ min: FIRST_DAY + margin, max: LAST_DAY - margin }).map((n) => new Date(n * 86_400_000).toISOString().slice(0, 10));

const instantArb = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 11, 31) });

// An oracle independent of the per-year offset cache: Intl asked directly for every instant.
const intlDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' });
const intlTime = new Intl.DateTimeFormat('en-GB', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

describe('calendar properties', () => {
  it('sessions are weekdays, strictly increasing, open 09:30 New York, 6.5 or 3.5 hours long', () => {
    fc.assert(
      fc.property(dateArb(40), fc.integer({ min: 0, max: 40 }), (start, span) => {
        const sessions = sessionsBetween(start, addDays(start, span));
        for (const [i, s] of sessions.entries()) {
          const weekday = new Date(`${s.date}T00:00:00Z`).getUTCDay();
          expect(weekday >= 1 && weekday <= 5).toBe(true);
          if (i > 0) expect(s.date > (sessions[i - 1]?.date ?? '')).toBe(true);
          expect(s.openMs).toBeLessThan(s.closeMs);
          expect(s.closeMs - s.openMs).toBe(s.earlyClose ? 3.5 * HOUR_MS : 6.5 * HOUR_MS);
          expect(nyDate(s.openMs)).toBe(s.date);
          expect(nyTime(s.openMs)).toBe('09:30');
          expect(nyTime(s.closeMs)).toBe(s.earlyClose ? '13:00' : '16:00');
          expect(holidayName(s.date)).toBeUndefined();
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a day is a session exactly when it is a weekday without a holiday name', () => {
    fc.assert(
      fc.property(dateArb(), (date) => {
        const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
        const expected = weekday !== 0 && weekday !== 6 && holidayName(date) === undefined;
        expect(isSession(date)).toBe(expected);
        expect(sessionOf(date) !== undefined).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('next(previous(d)) is the first session on or after d, and no session lies strictly between', () => {
    fc.assert(
      fc.property(dateArb(10), (date) => {
        const prev = previousSession(date);
        const next = nextSession(date);
        expect(prev < date && date < next).toBe(true);
        expect(nextSession(prev)).toBe(isSession(date) ? date : next);
        expect(previousSession(next)).toBe(isSession(date) ? date : prev);
        expect(sessionsBetween(addDays(prev, 1), addDays(next, -1)).map((s) => s.date)).toEqual(isSession(date) ? [date] : []);
      }),
      { numRuns: 500 },
    );
  });

  it('lastCompletedSession flips to a session exactly at its close', () => {
    fc.assert(
      fc.property(dateArb(10), (date) => {
        const session = sessionOf(date) ?? sessionOf(nextSession(date));
        if (!session) throw new Error('nextSession returned a non-session');
        expect(lastCompletedSession(session.closeMs)).toBe(session.date);
        expect(lastCompletedSession(session.closeMs - 1)).toBe(previousSession(session.date));
      }),
      { numRuns: 300 },
    );
  });

  it('nyDate and nyTime agree with Intl for any instant, and nyInstant inverts them', () => {
    fc.assert(
      fc.property(instantArb, (ms) => {
        expect(nyDate(ms)).toBe(intlDate.format(ms));
        expect(nyTime(ms)).toBe(intlTime.format(ms));
        const minute = Math.floor(ms / MINUTE_MS) * MINUTE_MS;
        const back = nyInstant(nyDate(ms), nyTime(ms));
        // The hour repeated when clocks fall back maps to its first occurrence.
        expect([minute, minute - HOUR_MS]).toContain(back);
      }),
      { numRuns: 2000 },
    );
  });
});
