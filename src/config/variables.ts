import { readFileSync } from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import type { ConfigProblem } from './problems.js';

/** The merged view of the real environment over a .env file. */
export interface Variables {
  get(name: string): string | undefined;
  /** `environment`, or the .env file's name, for problem messages. */
  origin(name: string): string;
}

function present(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

/** The variables of a .env file; none when it does not exist (the file is an optional convenience). */
function readDotenv(file: string, problems: ConfigProblem[]): Record<string, string> | undefined {
  try {
    return dotenv.parse(readFileSync(file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const label = path.basename(file);
    if (code !== 'ENOENT') problems.push({ file: label, path: undefined, text: `${label}: cannot read the file (${code ?? 'error'})` });
    return undefined;
  }
}

/**
 * Reads `dotenvPath` (when given) without touching process.env. The real environment wins; an
 * empty real value counts as unset. `read` is the file actually read.
 */
export function readVariables(
  env: NodeJS.ProcessEnv,
  dotenvPath: string | undefined,
  problems: ConfigProblem[],
): { vars: Variables; read: string | undefined } {
  const fromFile = dotenvPath === undefined ? undefined : readDotenv(dotenvPath, problems);
  const label = dotenvPath === undefined ? 'environment' : path.basename(dotenvPath);
  const vars: Variables = {
    get: (name) => {
      const real = env[name];
      if (present(real)) return real.trim();
      const file = fromFile?.[name];
      return present(file) ? file.trim() : undefined;
    },
    origin: (name) => (present(env[name]) ? 'environment' : label),
  };
  return { vars, read: fromFile === undefined ? undefined : dotenvPath };
}
