import os from 'node:os';
import { addDays, nyDate } from '../../calendar/index.js';
import { systemClock } from '../../clock/index.js';
import { TASK_NAMES, loadConfig, loadEnvironment } from '../../config/index.js';
import { UsageError } from '../../errors/index.js';
import { createMarket, startSandbox, type Sandbox } from '../../sandbox/index.js';
import { runPipelineOnce, ShutdownRequested, supportedEndpoints, type PipelineEvent, type RunOnceReport } from '../../scheduler/index.js';
import { emitJsonLine, parseListOption } from '../context.js';
import { DEMO_CREDENTIALS, demoKeyEnv, demoSecrets } from '../demo.js';
import { localDotenv, parseVendor } from '../fetch.js';
import { startHeartbeat, type WorkerHeartbeat } from '../heartbeat.js';
import { action } from '../main.js';
import { resolveConfigDir } from '../paths.js';
import { createProgress, type Progress } from '../progress.js';
import { enabledEndpoints, openRuntime } from '../runtime.js';
import type { RegisterCommand } from './index.js';

const MINUTE = 60_000;

export const register: RegisterCommand = (program, io) => {
  program
    .command('run')
    .description('the node loop: reference data, forward ingest and backfill, audit, repair, curate — each cycle, until stopped')
    .option('--once', 'run one cycle and exit')
    .option('--vendors <list>', 'only these vendors (still only those with keys)')
    .option('--tasks <list>', `only these edge.yml tasks (${TASK_NAMES.slice(0, 3).join(', ')}, …)`)
    .option('--sandbox', 'run against the built-in vendor emulators on loopback (real clock, real free-tier limits) instead of the vendors')
    .option('--worker-id <id>', 'this worker\'s name in leases, queue claims and the run log; workers sharing one state store need distinct ids (default: the host name)')
    .option('--interval-minutes <n>', 'minutes between cycles', '30')
    .addHelpText(
      'after',
      `
SIGINT or SIGTERM stops it cleanly: units in flight finish, the rest stay queued for the next run.

Several workers may share one queue, lake and set of vendor quotas: point them at one state store
(TRADEML_STATE_URL, e.g. postgres://…) and one lake (TRADEML_LAKE_URL, e.g. s3://bucket/prefix) and
give each a --worker-id. Each renews a heartbeat every edge.yml locks.renew_seconds; the claims of a
worker that stops beating return to the queue after locks.lease_seconds. \`trademl status\` lists them.

Examples:
  $ trademl run --once
  $ trademl run --vendors alpaca,polygon --interval-minutes 15
  $ trademl run --sandbox --once --vendors alpaca --json
  $ TRADEML_STATE_URL=postgres://trademl@db/trademl TRADEML_LAKE_URL=s3://lake/trademl trademl run --worker-id pi-2`,
    )
    .action(
      action(io, async ({ global, options }) => {
        const interval = Number(options.intervalMinutes);
        if (!Number.isFinite(interval) || interval < 1 || interval > 24 * 60) {
          throw new UsageError(`--interval-minutes: expected a number from 1 to 1440, got ${JSON.stringify(options.intervalMinutes)}`);
        }
        const vendors = parseListOption(options.vendors as string | undefined)?.map(parseVendor);
        const tasks = parseListOption(options.tasks as string | undefined);
        for (const task of tasks ?? []) if (!(TASK_NAMES as readonly string[]).includes(task)) throw new UsageError(`--tasks: unknown task ${JSON.stringify(task)} (expected one of ${TASK_NAMES.join(', ')})`);
        const configDir = resolveConfigDir(program.getOptionValueSource('configDir') === 'cli' ? global.configDir : undefined);
        const config = await loadConfig(configDir);
        const sandbox = options.sandbox ? await startLocalSandbox() : undefined;
        const env = sandbox ? loadEnvironment({ ...demoKeyEnv(), ...sandbox.env(), ...pick(io.env, ['TRADEML_STATE_URL', 'TRADEML_LAKE_URL']) }) : loadEnvironment(io.env, localDotenv());
        const controller = new AbortController();
        const stop = (signal: NodeJS.Signals): void => {
          if (controller.signal.aborted) process.exit(130);
          io.stderr(`trademl run: ${signal} received, finishing the units in flight…\n`);
          controller.abort();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
        const workerId = (options.workerId as string | undefined) ?? os.hostname();
        if (!/^[\w.@:-]{1,100}$/.test(workerId)) throw new UsageError(`--worker-id: expected 1 to 100 letters, digits or . _ - @ :, got ${JSON.stringify(workerId.slice(0, 120))}`);
        const runtime = await openRuntime({ configDir, config, dataDir: global.dataDir, env, clock: systemClock, owner: workerId, ...(vendors ? { vendors } : {}), ...(tasks ? { tasks } : {}) });
        const leaseMs = config.edge.locks.lease_seconds * 1000;
        let heartbeat: WorkerHeartbeat | undefined;
        try {
          const unscheduled = [...enabledEndpoints(config, tasks)].filter((e) => !supportedEndpoints().includes(e));
          if (unscheduled.length > 0 && !global.json) io.stderr(`note: enabled endpoints without a producer yet (they are not scheduled): ${unscheduled.join(', ')}\n`);
          heartbeat = await startHeartbeat({
            state: runtime.state,
            clock: systemClock,
            workerId,
            leaseMs,
            renewMs: config.edge.locks.renew_seconds * 1000,
            onSuperseded: (by) => {
              io.stderr(`trademl run: worker ${workerId} was superseded by ${by} (another process started with the same --worker-id); stopping\n`);
              controller.abort();
            },
            onError: (error) => io.stderr(`trademl run: heartbeat of worker ${workerId} failed, retrying: ${error instanceof Error ? error.message : String(error)}\n`),
          });
          await runtime.state.appendLog({ atMs: systemClock.now(), level: 'info', event: 'worker.started', detail: { worker: workerId, generation: heartbeat.lease.generation, releasedClaims: heartbeat.released, host: os.hostname(), pid: process.pid } });
          const onEvent = (progress: Progress) => (event: PipelineEvent): void => {
            if (event.kind === 'claim_lost') io.stderr(`trademl run: worker ${workerId} lost its claim on ${event.unit.identity} (${event.step}): its lease expired and the unit is another worker's now; nothing of it was committed here\n`);
            progress.onEvent(event);
          };
          let cycles = 0;
          for (;;) {
            cycles += 1;
            const progress = createProgress(io, systemClock, { tty: io.isTTY, json: global.json, ...(sandbox ? { secrets: demoSecrets() } : {}) });
            let report: RunOnceReport;
            try {
              report = await runPipelineOnce(runtime, { signal: controller.signal, onEvent: onEvent(progress), maxWaitMs: interval * MINUTE, leaseMs });
            } catch (error) {
              progress.finish();
              if (error instanceof ShutdownRequested) {
                if (global.json) emitJsonLine(io, { cycle: cycles, stopped: true, reason: error.message });
                else io.stdout(`cycle ${cycles}: ${error.message}\n`);
                return 0;
              }
              throw error;
            }
            progress.finish({ cycle: cycles, greenRatio: report.ledger.greenRatio });
            const summary = { cycle: cycles, window: report.window, universe: report.universe, ledger: report.ledger, curated: { rows: report.curate.rows, contentHash: report.curate.contentHash }, executors: report.executors };
            if (global.json) emitJsonLine(io, summary);
            else io.stdout(`cycle ${cycles}: ${report.ledger.green}/${report.ledger.sessions} sessions GREEN (${(report.ledger.greenRatio * 100).toFixed(2)}%), ${report.curate.rows} curated rows, window ${report.window.start} .. ${report.window.end}\n`);
            if (options.once || controller.signal.aborted) return 0;
            await systemClock.sleep(interval * MINUTE, controller.signal).catch(() => undefined);
            if (controller.signal.aborted) {
              if (!global.json) io.stdout('stopped on request between cycles\n');
              return 0;
            }
          }
        } finally {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          await heartbeat?.stop().catch(() => undefined);
          await runtime.close();
          await sandbox?.close();
        }
      }),
    );
};

/** The emulators on loopback over a seeded market of the last three years, on the real clock. */
async function startLocalSandbox(): Promise<Sandbox> {
  const today = nyDate(systemClock.now());
  const market = createMarket({ seed: 42, symbols: 300, start: addDays(today, -3 * 365 - 7), end: today });
  return startSandbox({ clock: systemClock, market, credentials: DEMO_CREDENTIALS });
}


function pick(env: NodeJS.ProcessEnv, names: string[]): Record<string, string> {
  return Object.fromEntries(names.filter((n) => env[n] !== undefined).map((n) => [n, env[n] as string]));
}
