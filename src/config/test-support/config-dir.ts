import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../problems.js';

/** The repository's shipped configs/ directory. */
export const SHIPPED_CONFIG_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../configs');

export type Edits = Partial<Record<'endpoints.yml' | 'edge.yml' | 'backfill.yml' | 'curator.yml', (text: string) => string | null>>;

/**
 * A temporary copy of the shipped configs with `edits` applied (an edit returning null deletes the
 * file). An edit that does not change its file throws, so a test cannot silently test nothing.
 */
export async function configCopy(edits: Edits = {}): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'trademl-config-'));
  await cp(SHIPPED_CONFIG_DIR, dir, { recursive: true });
  for (const [file, edit] of Object.entries(edits)) {
    if (edit === undefined) continue;
    const target = path.join(dir, file);
    const before = await readFile(target, 'utf8');
    const after = edit(before);
    if (after === null) await rm(target);
    else if (after === before) throw new Error(`test edit of ${file} changed nothing`);
    else await writeFile(target, after);
  }
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Replaces exactly one occurrence of `from`; throws when it is absent, so fixtures stay honest. */
export function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0) throw new Error(`fixture text not found: ${from}`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** The rendered problems a rejected promise carried; fails when it resolved or threw something else. */
export async function problemsOf(promise: Promise<unknown>): Promise<string[]> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => p.text);
    throw error;
  }
  throw new Error('expected a ConfigError, but loading succeeded');
}
