const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date `YYYY-MM-DD`. */
export function isIsoDate(value: string): boolean {
  if (!DATE_RE.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

export const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;
export const round6 = (x: number): number => Math.round(x * 1_000_000) / 1_000_000;
