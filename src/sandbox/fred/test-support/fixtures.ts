import { readFileSync } from 'node:fs';

/** Text of a copied FRED fixture (`test-support/fixtures/<name>`). */
export function fixtureText(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

export function fixtureJson<T>(name: string): T {
  return JSON.parse(fixtureText(name)) as T;
}
