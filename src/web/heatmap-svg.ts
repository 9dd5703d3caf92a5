import type { PartitionStatus } from '../catalog/index.js';
import type { CoverageCell } from './coverage.js';
import { esc } from './html.js';

export const STATUS_COLOR: Record<PartitionStatus, string> = {
  GREEN: '#2da44e',
  AMBER: '#d4a72c',
  RED: '#cf222e',
  UNAVAILABLE: '#8250df',
  NO_SESSION: '#d0d7de',
};

const CELL = 12;
const GAP = 2;
const LEFT = 28;
const TOP = 16;
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const DAY_MS = 86_400_000;
/** Weeks a month label needs so that the next one does not overlap it. */
const MONTH_LABEL_WEEKS = 3;

/** Monday-based weekday (0 = Monday) and the week index since the Monday on or before `first`. */
function position(date: string, firstMonday: number): { week: number; weekday: number } {
  const ms = Date.parse(`${date}T00:00:00Z`);
  const weekday = (new Date(ms).getUTCDay() + 6) % 7;
  return { week: Math.floor((ms - firstMonday) / (7 * DAY_MS)), weekday };
}

function mondayOnOrBefore(date: string): number {
  const ms = Date.parse(`${date}T00:00:00Z`);
  return ms - ((new Date(ms).getUTCDay() + 6) % 7) * DAY_MS;
}

export interface HeatmapOptions {
  title: string;
  /** The dataset the cells belong to, as a `data-dataset` attribute of the SVG. */
  dataset?: string;
  /**
   * Draw the calendar from this date's week on, so that several datasets' bands share their
   * columns (a date sits at the same x in every band).
   */
  from?: string;
}

/**
 * A calendar heatmap as standalone SVG: one column per week, one row per weekday, one `<rect>` per
 * ledger row carrying its figures as data attributes and a `<title>` tooltip, so a page script or a
 * test can read what each cell stands for.
 */
export function renderHeatmapSvg(cells: readonly CoverageCell[], options: HeatmapOptions): string {
  const dataset = options.dataset === undefined ? '' : ` data-dataset="${esc(options.dataset)}"`;
  if (cells.length === 0) {
    return `<svg xmlns="http://www.w3.org/2000/svg" class="heatmap"${dataset} width="320" height="24" role="img" aria-label="${esc(options.title)}"><text x="0" y="16" font-size="12">no ledger rows (run an audit first)</text></svg>`;
  }
  const first = options.from !== undefined && options.from < (cells[0] as CoverageCell).date ? options.from : (cells[0] as CoverageCell).date;
  const firstMonday = mondayOnOrBefore(first);
  const placed = cells.map((cell) => ({ cell, ...position(cell.date, firstMonday) }));
  const weeks = Math.max(...placed.map((p) => p.week)) + 1;
  const rows = Math.max(5, ...placed.map((p) => p.weekday + 1));
  // Room after the last column for a month label that starts there.
  const width = LEFT + weeks * (CELL + GAP) + 28;
  const height = TOP + rows * (CELL + GAP);
  const labels = WEEKDAYS.slice(0, rows)
    .map((name, i) => (i % 2 === 0 ? `<text x="0" y="${TOP + i * (CELL + GAP) + CELL - 2}">${name}</text>` : ''))
    .join('');
  const months: string[] = [];
  let lastMonth = '';
  let lastLabelWeek = -MONTH_LABEL_WEEKS;
  for (const p of placed) {
    const month = p.cell.date.slice(0, 7);
    if (month === lastMonth) continue;
    lastMonth = month;
    // A month shown for only a week or two (the window's first) would print its label over the
    // next one's: the fuller, later month keeps the label.
    if (p.week - lastLabelWeek < MONTH_LABEL_WEEKS) months.pop();
    lastLabelWeek = p.week;
    months.push(`<text x="${LEFT + p.week * (CELL + GAP)}" y="${TOP - 4}">${esc(month)}</text>`);
  }
  const rects = placed.map((p) => rect(p.cell, LEFT + p.week * (CELL + GAP), TOP + p.weekday * (CELL + GAP))).join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="heatmap"${dataset} width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(options.title)}" font-family="sans-serif" font-size="9" fill="#57606a">`,
    labels,
    months.join(''),
    rects,
    '</svg>',
  ].join('\n');
}

function rect(cell: CoverageCell, x: number, y: number): string {
  const vendors = Object.entries(cell.vendors)
    .map(([vendor, n]) => `${vendor}:${n}`)
    .join(' ');
  const tip = `${cell.date} ${cell.status}: ${cell.rows}/${cell.expected} rows${vendors ? ` (${vendors})` : ''}${cell.reason ? ` — ${cell.reason}` : ''}`;
  return (
    `<rect class="cell" x="${x}" y="${y}" width="${CELL}" height="${CELL}" rx="2" fill="${STATUS_COLOR[cell.status]}"` +
    ` data-date="${esc(cell.date)}" data-status="${esc(cell.status)}" data-rows="${cell.rows}" data-expected="${cell.expected}"` +
    ` data-reason="${esc(cell.reason)}" data-vendors="${esc(vendors)}"><title>${esc(tip)}</title></rect>`
  );
}
