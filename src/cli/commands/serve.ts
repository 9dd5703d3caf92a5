import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { VENDORS } from '../../catalog/index.js';
import { systemClock, type Clock } from '../../clock/index.js';
import { loadConfig, loadEnvironment, secretValues } from '../../config/index.js';
import { UsageError } from '../../errors/index.js';
import { Lake } from '../../lake/index.js';
import { openStateStore, type StateStore } from '../../state/index.js';
import { createDashboard } from '../../web/index.js';
import { emitJsonLine } from '../context.js';
import { demoSecrets } from '../demo.js';
import { localDotenv } from '../fetch.js';
import { action } from '../main.js';
import { resolveConfigDir } from '../paths.js';
import { defaultStateUrl, pacerLimits } from '../runtime.js';
import type { RegisterCommand } from './index.js';

const EXAMPLE = `
Examples:
  $ trademl serve
  trademl dashboard: http://127.0.0.1:8787/   (read-only; Ctrl-C to stop)
  $ trademl serve --data-dir data/demo --port 0 --json
  {"url":"http://127.0.0.1:41234/","host":"127.0.0.1","port":41234,"asOf":"live"}

  The page shows the coverage heatmap, budgets, freezes, the queue, freshness and recent problems;
  the same figures are JSON at /api/status, /api/coverage?dataset=&since=, /api/vendors, /api/queue,
  /api/log?level=, /api/freshness. A demo directory is shown as of the demo's virtual clock.
  There is no login: keep --host on loopback unless the network is yours.`;

export const register: RegisterCommand = (program, io) => {
  program
    .command('serve')
    .description('the read-only dashboard and its JSON API, until Ctrl-C')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <n>', 'port (0: any free port, printed)', '8787')
    .addHelpText('after', EXAMPLE)
    .action(
      action(io, async ({ global, options }) => {
        const port = portOption(options.port);
        const host = String(options.host);
        const config = await loadConfig(resolveConfigDir(program.getOptionValueSource('configDir') === 'cli' ? global.configDir : undefined));
        const env = loadEnvironment(io.env, localDotenv());
        const lake = await Lake.open({ root: io.env.TRADEML_LAKE_URL?.trim() || global.dataDir, clock: systemClock });
        let state: StateStore | undefined;
        try {
          state = await openStateStore(env.stateUrl ?? defaultStateUrl(global.dataDir));
          const demoNow = await state.getBookmark('demo.virtual_now');
          const clock = demoNow === undefined ? systemClock : frozenClock(Number(demoNow));
          const secrets = [...secretValues(env), ...(demoNow === undefined ? [] : demoSecrets())];
          const app = createDashboard({ lake, state, clock, secrets, config: { limits: pacerLimits(config, [...VENDORS]) } });
          const stop = untilSignal();
          const { server, address } = await listen(app.fetch, host, port);
          const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}/`;
          const asOf = demoNow === undefined ? 'live' : new Date(Number(demoNow)).toISOString();
          if (global.json) emitJsonLine(io, { url, host: address.address, port: address.port, asOf });
          else {
            io.stdout(`trademl dashboard: ${url}   (read-only; Ctrl-C to stop)\n`);
            if (demoNow !== undefined) io.stdout(`demo data: shown as of the demo's virtual clock, ${asOf}\n`);
          }
          if (!isLoopback(address.address)) io.stderr(`trademl: warning: listening on ${address.address}; the dashboard has no login\n`);
          await stop;
          await closeServer(server);
        } finally {
          await state?.close();
          await lake.close();
        }
      }),
    );
};

function listen(fetch: (request: Request) => Response | Promise<Response>, hostname: string, port: number): Promise<{ server: ServerType; address: AddressInfo }> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname, port }, (address) => resolve({ server, address }));
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' || error.code === 'EACCES' || error.code === 'EADDRNOTAVAIL' ? new UsageError(`cannot listen on ${hostname}:${port}: ${error.code}`) : error),
    );
  });
}

/** Stops listening and drops idle keep-alive connections, so Ctrl-C exits at once. */
function closeServer(server: ServerType): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  if ('closeAllConnections' in server) server.closeAllConnections();
  return closed;
}

/** A demo's world ends at its virtual clock: budgets "today" and the last minute are read there. */
function frozenClock(nowMs: number): Clock {
  return { now: () => nowMs, sleep: (ms, signal) => systemClock.sleep(ms, signal), busy: (work) => work };
}

function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.');
}

function portOption(value: unknown): number {
  const text = String(value);
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n > 65_535) throw new UsageError(`--port: expected an integer from 0 to 65535, got ${JSON.stringify(text)}`);
  return n;
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
