/**
 * Memory figure for the pipeline alone: the vendor emulator runs in its own process, this process
 * runs only the pipeline (Alpaca backfill → audit → curate, real clock, pacing lifted so it is
 * CPU-bound) and samples its own memory per phase. The same probe as `npm run bench -- --only memory`.
 *
 *   node --import tsx test/reliability/support/memory-probe.ts [symbols=1000] [lookbackDays=365]
 *
 * Prints one JSON line: peak RSS overall and per phase, with heap/external/arrayBuffers at each peak.
 */
import { probePipelineMemory } from '../../../bench/memory.js';

const report = await probePipelineMemory(Number(process.argv[2] ?? 1000), Number(process.argv[3] ?? 365));
process.stdout.write(`${JSON.stringify(report)}\n`);
