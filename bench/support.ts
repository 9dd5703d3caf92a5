/** One figure of the benchmark table: our measurement, its baseline from the same run, and their ratio. */
export interface Figure {
  benchmark: string;
  metric: string;
  unit: string;
  value: number;
  baseline: { name: string; value: number };
  /** value / baseline.value */
  ratio: number;
  /** What the ratio is held against, e.g. "≤ 1.05" or "≥ 0.5"; informational, never asserted. */
  target?: string;
  note?: string;
}

export interface BenchContext {
  quick: boolean;
  /** Writes progress lines (stderr), never the table. */
  log: (line: string) => void;
}

export interface Benchmark {
  name: string;
  run(ctx: BenchContext): Promise<Figure[]>;
}

export function figure(input: Omit<Figure, 'ratio'>): Figure {
  const ratio = input.baseline.value === 0 ? Number.NaN : input.value / input.baseline.value;
  return { ...input, ratio };
}

/** Wall time of `work` in milliseconds (high-resolution). */
export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await work();
  return { ms: performance.now() - start, result };
}

function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) >= 100) return Math.round(x).toLocaleString('en-US');
  if (Math.abs(x) >= 1) return x.toFixed(2);
  return x.toPrecision(3);
}

/** A Markdown table, so the same text goes into README.md. */
export function renderTable(figures: readonly Figure[]): string {
  const header = ['benchmark', 'figure', 'value', 'baseline', 'baseline value', 'ratio', 'target', 'note'];
  const rows = figures.map((f) => [
    f.benchmark,
    f.metric,
    `${formatNumber(f.value)} ${f.unit}`,
    f.baseline.name,
    `${formatNumber(f.baseline.value)} ${f.unit}`,
    formatNumber(f.ratio),
    f.target ?? '',
    f.note ?? '',
  ]);
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
