import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The configs shipped with the package (…/configs beside dist/ or src/). */
export const PACKAGED_CONFIG_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'configs');

/**
 * `--config-dir` when given; else ./configs when it exists; else the package's own configs, so the
 * demo works from any directory.
 */
export function resolveConfigDir(explicit: string | undefined): string {
  if (explicit !== undefined) return path.resolve(explicit);
  const local = path.resolve('configs');
  return existsSync(local) ? local : PACKAGED_CONFIG_DIR;
}
