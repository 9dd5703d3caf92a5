import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The end-to-end files that take minutes, longest first (measured in CI). A clean clone has no
 * vitest cache, so the base order is by file size, and a small file that runs for twenty minutes
 * would start last and run alone at the end while the other worker sits idle.
 */
const LONGEST_FIRST = [
  'test/reliability/crash-points.e2e.test.ts',
  'test/reliability/fault-seeds.e2e.test.ts',
  'test/pacing-faults.e2e.test.ts',
  'test/demo.e2e.test.ts',
  'test/pacing-week.e2e.test.ts',
  'test/demo-crash.e2e.test.ts',
  'test/reliability/resume.e2e.test.ts',
  'test/demo-faults.e2e.test.ts',
];

export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    const rank = (spec: TestSpecification): number => {
      const index = LONGEST_FIRST.findIndex((suffix) => spec.moduleId.replaceAll('\\', '/').endsWith(suffix));
      return index === -1 ? LONGEST_FIRST.length : index;
    };
    // Array.prototype.sort is stable: files off the list keep the base order.
    return [...base].sort((a, b) => rank(a) - rank(b));
  }
}
