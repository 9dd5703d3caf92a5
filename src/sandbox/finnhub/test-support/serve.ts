import type { Emulator } from '../../shared/http.js';
import { serveEmulator as serve } from '../../shared/serve.js';
import { FINNHUB_BASE_PATH } from '../emulator.js';

export interface ServedEmulator {
  /** `http://127.0.0.1:<port>/api/v1`, as a connector's configured base URL. */
  baseUrl: string;
  close(): Promise<void>;
}

/** Mounts the Finnhub emulator on loopback; its base URL carries the version prefix. */
export async function serveEmulator(emulator: Emulator): Promise<ServedEmulator> {
  const served = await serve(emulator);
  return { baseUrl: `${served.url}${FINNHUB_BASE_PATH}`, close: served.close };
}
