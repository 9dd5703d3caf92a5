import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/sandbox/index.js';
import type { QueueUnit, StateStore } from '../src/state/index.js';
import type { WorkerStatus } from '../src/web/status.js';
import { backends } from './support/backends.js';
import { lastJson, removeDir, runCli, startCli, tempDir } from './support/cli.js';
import { contentKeys, duplicates, FLEET_KEYS, fleetConfigs, runWorker, startFleetSandbox, workerArgs, type WorkerSummary } from './support/fleet.js';

// Polygon only, one request a second: a worker spends most of each unit waiting in the pacer while
// it holds the unit's claim, so a pause lands on a claimed unit. Claims last 3 s unrenewed.
const POLYGON = { rpm: 60, minIntervalMs: 1_000 };
const LOCKS = { leaseSeconds: 3, renewSeconds: 1 };

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(50);
  }
}

function polygonRequests(sandbox: Sandbox): number {
  return sandbox.requestLog().filter((r) => r.vendor === 'polygon').length;
}

/**
 * SIGSTOPs the worker while it holds at least one claim and no state-store write lock (a store
 * write from here succeeds at once), and returns the units it held. Retries after a SIGCONT when
 * the pause landed between two claims.
 */
async function pauseHoldingClaims(pid: number, state: StateStore, sandbox: Sandbox, owner: string): Promise<QueueUnit[]> {
  for (let attempt = 0; attempt < 40; attempt += 1) {
    // Just after a request reached the vendor, the worker writes, settles, claims the next unit and
    // waits out the pacer's interval: pause inside that wait.
    const seen = polygonRequests(sandbox);
    await until('the next polygon request', async () => (polygonRequests(sandbox) > seen ? true : undefined));
    await pause(450);
    process.kill(pid, 'SIGSTOP');
    const held = (await state.listQueue({ status: 'leased' })).filter((u) => u.leaseOwner === owner);
    const unlocked = await Promise.race([state.renewClaims('probe', 1, Date.now()).then(() => true, () => false), pause(2_000).then(() => false)]);
    if (held.length > 0 && unlocked) return held;
    process.kill(pid, 'SIGCONT');
  }
  throw new Error(`could not pause ${owner} while it held a claim`);
}

describe.each(backends())('a worker paused past its claim lease (SIGSTOP, then SIGCONT) [$title]', (backend) => {
  describe.skipIf(backend.skipReason !== undefined)(backend.name, () => {
    it('cannot commit its unit: another worker completes it exactly once, the paused one logs the claim as lost', async () => {
      const configs = await fleetConfigs({ lookbackDays: 14, locks: LOCKS, providers: { polygon: POLYGON } });
      const storage = await backend.provision();
      const dataDir = await tempDir('fencing');
      const sandbox = await startFleetSandbox({ symbols: 10, plans: { polygon: { requestsPerMinute: POLYGON.rpm } } });
      const env = { ...FLEET_KEYS, ...sandbox.env(), ...storage.env };
      const paused = startCli(workerArgs('w1', { configs, dataDir, vendors: ['polygon'] }), { env, cwd: dataDir });
      const pid = paused.child.pid as number;
      let state: StateStore | undefined;
      try {
        // The worker has migrated the store once it has made a request.
        await until('w1 to start requesting', async () => (polygonRequests(sandbox) >= 2 ? true : undefined));
        state = await storage.openState(dataDir);
        const stolen = await pauseHoldingClaims(pid, state, sandbox, 'w1');
        const stolenIds = stolen.map((u) => u.identity);
        await pause(LOCKS.leaseSeconds * 1000 + 1_500);
        const expired = (await state.listQueue({ status: 'leased' })).filter((u) => stolenIds.includes(u.identity));
        expect(expired.every((u) => (u.leaseExpiresAtMs ?? 0) < Date.now())).toBe(true);
        // `trademl status` shows the silent worker as registered but not alive, still holding its claims.
        const status = await runCli(['status', '--json', '--config-dir', configs, '--data-dir', dataDir], { env, cwd: dataDir });
        expect(status.code, status.stderr).toBe(0);
        expect(lastJson<{ workers: WorkerStatus[] }>(status.stdout).workers).toEqual([expect.objectContaining({ id: 'w1', alive: false, claims: stolen.length })]);

        const rescuer = await runWorker(workerArgs('w2', { configs, dataDir, vendors: ['polygon'] }), env, dataDir);
        expect(rescuer.summary.ledger.greenRatio).toBe(1);
        process.kill(pid, 'SIGCONT');
        const woken = await paused.done;
        expect(woken.code, woken.stderr).toBe(0);

        // The paused worker noticed, said so, and counted it.
        expect(woken.stderr).toMatch(new RegExp(`worker w1 lost its claim on (${stolenIds.map(escape).join('|')})`));
        const lostLog = await state.recentLog(1_000, { event: 'unit.claim_lost' });
        expect(lostLog.some((e) => (e.detail as { owner?: string }).owner === 'w1' && stolenIds.includes(String((e.detail as { identity?: string }).identity)))).toBe(true);
        const summary = lastJson<WorkerSummary>(woken.stdout);
        expect(summary.executors.reduce((n, e) => n + (e.lost ?? 0), 0)).toBeGreaterThanOrEqual(1);

        // Every unit done once, the stolen ones by w2, nothing of w1's stale attempt in queue or lake.
        const queue = await state.listQueue();
        expect(queue.filter((u) => u.status !== 'done')).toEqual([]);
        const done = (await state.recentLog(100_000, { event: 'unit.done' })).map((e) => String((e.detail as { identity?: string }).identity)).sort();
        expect(done).toEqual(queue.map((u) => u.identity).sort());
        const raw = contentKeys(await storage.listLake(dataDir, 'raw/'));
        expect(raw.length).toBeGreaterThan(5);
        expect(duplicates(raw)).toEqual([]);
        const partitions = raw.map((key) => key.slice(0, key.lastIndexOf('/')));
        expect(duplicates(partitions)).toEqual([]);
        expect(duplicates(contentKeys(await storage.listLake(dataDir, 'reference/')))).toEqual([]);
      } finally {
        if (paused.child.exitCode === null && paused.child.signalCode === null) {
          process.kill(pid, 'SIGCONT');
          paused.child.kill('SIGKILL');
        }
        await paused.done;
        await state?.close();
        await sandbox.close();
        await storage.dispose();
        await removeDir(dataDir);
        await removeDir(configs);
      }
    }, 300_000);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
