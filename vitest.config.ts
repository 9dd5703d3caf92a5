import os from 'node:os';
import { defineConfig } from 'vitest/config';
import { LongestFirstSequencer } from './test/support/sequencer.js';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Guards against hangs, not speed checks: two files run at once on CI's two cores, and an
    // end-to-end file's CLI children then share the cores with the other file's.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // vitest leaves one core free by default: one worker on CI's two cores, where most of an
    // end-to-end file's time is a CLI child on the other core. Two files at a time use both.
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    sequence: { sequencer: LongestFirstSequencer },
    reporters: ['default'],
  },
});
