import { readFile } from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';
import type { z } from 'zod';
import { type ConfigProblem, fileNotFound, fileUnreadable, syntaxProblem } from './problems.js';
import { PARSE_OPTIONS, problemsFromZod } from './zod-problems.js';

export type Outcome<T> = { ok: true; value: T } | { ok: false; problems: ConfigProblem[] };

/** yaml's messages end in " at line L, column C:" plus a code excerpt; we print the position our way. */
function firstSentence(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?\s*$/, '');
}

/** Reads and YAML-parses one config file; a missing file and every syntax error become problems. */
export async function readYaml(dir: string, file: string): Promise<Outcome<unknown>> {
  let text: string;
  try {
    text = await readFile(path.join(dir, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, problems: [code === 'ENOENT' ? fileNotFound(file) : fileUnreadable(file, code ?? 'error')] };
  }
  const doc = YAML.parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => syntaxProblem(file, e.linePos?.[0]?.line ?? 1, e.linePos?.[0]?.col ?? 1, firstSentence(e.message)));
    return { ok: false, problems };
  }
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: 100 }) };
  } catch (error) {
    return { ok: false, problems: [syntaxProblem(file, 1, 1, error instanceof Error ? firstSentence(error.message) : String(error))] };
  }
}

/** Validates a parsed document against its schema, rendering every issue as a problem. */
export function validate<S extends z.ZodType>(schema: S, file: string, raw: unknown): Outcome<z.infer<S>> {
  const result = schema.safeParse(raw, PARSE_OPTIONS);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, problems: problemsFromZod(file, raw, result.error) };
}

/** A validated config file with the document as written (problems quote written values). */
export interface ConfigFile<T> {
  readonly raw: unknown;
  readonly value: T;
}

export async function readConfigFile<S extends z.ZodType>(dir: string, file: string, schema: S): Promise<Outcome<ConfigFile<z.infer<S>>>> {
  const raw = await readYaml(dir, file);
  if (!raw.ok) return raw;
  const parsed = validate(schema, file, raw.value);
  return parsed.ok ? { ok: true, value: { raw: raw.value, value: parsed.value } } : parsed;
}
