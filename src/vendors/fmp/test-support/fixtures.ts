import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Test-only: the text of an FMP fixture copied beside the connector (provenance in fixtures/README.md). */
export function fmpFixtureText(name: string): string {
  return readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');
}

export function fmpFixtureJson(name: string): unknown {
  return JSON.parse(fmpFixtureText(name));
}

/** A fixture as a response; `.txt` bodies (FMP's bare-text 402) go out as text/plain. */
export function fmpFixture(name: string, status = 200): Response {
  const type = name.endsWith('.txt') ? 'text/plain; charset=utf-8' : 'application/json';
  return new Response(fmpFixtureText(name), { status, headers: { 'content-type': type } });
}
