#!/usr/bin/env -S node --max-semi-space-size=2
// A 2 MB young generation (the shebang: V8 sizes it when the heap is created, too early for this
// file): V8's 16 MB default cost ~50 MB of resident memory, and this process's live JS heap is small.
// V8 lets its heap grow to about three times what is live before collecting it (a 1,000-symbol
// backfill: 255 MB allocated for 85 MB live). A long-running node on a small machine should have that
// memory back sooner, so the heap grows by at most 30 % between collections: more of them, each still
// short. A --heap-growing-percent given to node itself wins.
import v8 from 'node:v8';

if (!process.execArgv.some((arg) => arg.startsWith('--heap-growing-percent'))) v8.setFlagsFromString('--heap-growing-percent=30');

// The compiled CLI lives in dist/ (built by `npm ci` through the `prepare` script), imported after
// the flag is set (a static import would load it first).
const { main } = await import('../dist/cli/main.js');

main(process.argv).then(
  (code) => { process.exitCode = code; },
  (error) => { console.error(error instanceof Error ? error.message : String(error)); process.exitCode = 1; },
);
