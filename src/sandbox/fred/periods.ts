/** Month arithmetic on period-start dates `YYYY-MM-01`. */

export function monthStartOf(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

export function quarterStartOf(date: string): string {
  const month = Number(date.slice(5, 7));
  return `${date.slice(0, 4)}-${pad2(month - ((month - 1) % 3))}-01`;
}

export function addMonths(period: string, months: number): string {
  const total = Number(period.slice(0, 4)) * 12 + Number(period.slice(5, 7)) - 1 + months;
  return `${String(Math.floor(total / 12)).padStart(4, '0')}-${pad2((total % 12) + 1)}-01`;
}

export function monthsBetween(from: string, to: string): number {
  return (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7));
}

/** Period starts from the period containing `start` to the one containing `end`, every `step` months. */
export function periodsBetween(start: string, end: string, step: 1 | 3): string[] {
  const first = step === 1 ? monthStartOf(start) : quarterStartOf(start);
  const out: string[] = [];
  for (let p = first; p <= end; p = addMonths(p, step)) out.push(p);
  return out;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
