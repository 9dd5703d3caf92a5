import type { FredData } from './series.js';
import type { FileType } from './wire.js';

/** What one request handler may read. */
export interface FredContext {
  data: FredData;
  /** New York date of the emulator's clock: FRED's "today" for real-time defaults. */
  today: string;
  fileType: FileType;
  /** Most vintage dates one observations request may span. */
  maxVintageDates: number;
}

/** Page sizes and caps from fred.md §3. */
export const OBSERVATIONS_MAX_LIMIT = 100_000;
export const VINTAGE_DATES_MAX_LIMIT = 10_000;
