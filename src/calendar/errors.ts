import { TrademlError } from '../errors/index.js';

/** A date or instant the calendar cannot answer for: malformed, or outside 2000-01-01..2100-12-31. */
export class CalendarRangeError extends TrademlError {}
