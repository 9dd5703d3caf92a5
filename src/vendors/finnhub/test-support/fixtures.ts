import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Test-only: a Finnhub fixture copied beside the connector (provenance and HTTP status in fixtures/README.md). */
export function fixtureText(name: string): string {
  return readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');
}

export function fixtureJson(name: string): unknown {
  return JSON.parse(fixtureText(name));
}

/** The fixture as the vendor sent it: body and status. */
export function fixtureResponse(name: string, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(fixtureText(name), { status, headers: { 'content-type': 'application/json', ...headers } });
}
