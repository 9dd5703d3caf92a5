import { expect } from 'vitest';

/** Asserts the claimed parts are a partition of `all`: their union is every unit, no unit in two parts. */
export function expectPartition(parts: string[][], all: string[]): void {
  const union = parts.flat();
  expect(union.length).toBe(all.length);
  expect(new Set(union)).toEqual(new Set(all));
  const seen = new Map<string, number>();
  parts.forEach((part) => part.forEach((id) => seen.set(id, (seen.get(id) ?? 0) + 1)));
  expect([...seen.values()].filter((n) => n > 1)).toEqual([]);
}
