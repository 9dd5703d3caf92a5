/**
 * A separate process that drains the queue of a state store (any url openStateStore takes): claims one unit at a time,
 * completes it, and prints the claimed identities as one JSON array. Used by the multi-process
 * claim test; the arguments are the store url, the owner name and the virtual instant.
 * It prints `ready` once the store is open and starts claiming when stdin receives a line, so
 * the parent can start every worker's claims at the same moment.
 */
import { once } from 'node:events';
import { openStateStore } from '../index.js';

const [path, owner, nowText] = process.argv.slice(2);
if (path === undefined || owner === undefined || nowText === undefined) {
  throw new Error('usage: claim-worker <store url> <owner> <now ms>');
}
const nowMs = Number(nowText);
const store = await openStateStore(path);
process.stdout.write('ready\n');
await once(process.stdin, 'data');
process.stdin.pause();
const claimed: string[] = [];
for (;;) {
  const units = await store.claim({ owner, nowMs, leaseMs: 600_000, limit: 1 });
  const [first] = units;
  if (first === undefined) break;
  claimed.push(first.identity);
  // A real unit does I/O between claim and complete; without it SQLite's busy-wait lets one process
  // keep re-taking the write lock and the others never get a turn, which is no race at all.
  await new Promise((resolve) => setTimeout(resolve, 1));
  if (!(await store.complete(first.id, owner, nowMs))) throw new Error(`lost claim on ${first.identity}`);
}
await store.close();
process.stdout.write(JSON.stringify(claimed));
