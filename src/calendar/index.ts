export { CalendarRangeError } from './errors.js';
export { CALENDAR_START, CALENDAR_END, addDays } from './dates.js';
export { nyDate, nyInstant, nyTime } from './zone.js';
export {
  type Session,
  isSession,
  sessionOf,
  sessionsBetween,
  sessionDatesBetween,
  previousSession,
  nextSession,
  lastCompletedSession,
  holidayName,
} from './sessions.js';
