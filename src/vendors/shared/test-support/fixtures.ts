import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Test-only: the text of a vendor fixture copied beside the connector (provenance in its README). */
export function fixtureText(vendor: 'alpaca' | 'polygon', name: string): string {
  return readFileSync(fileURLToPath(new URL(`../../${vendor}/test-support/fixtures/${name}`, import.meta.url)), 'utf8');
}

export function fixtureJson(vendor: 'alpaca' | 'polygon', name: string): unknown {
  return JSON.parse(fixtureText(vendor, name));
}
