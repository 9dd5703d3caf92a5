import { describe, expect, it } from 'vitest';
import { faultInjector, parseFaultSpec } from './faults.js';
import { SANDBOX_VENDORS } from './server.js';

const ctx = (vendor: 'polygon' | 'finnhub' | 'av', n: number) => ({ vendor, path: '/x', query: {}, requestNumber: n });

describe('fault specs', () => {
  it('parses vendor=kind[:rate] with aliases', () => {
    expect(parseFaultSpec('massive=hang, av=note,finnhub=5xx:0.1', SANDBOX_VENDORS)).toEqual([
      { vendor: 'polygon', kind: 'hang', rate: 1 },
      { vendor: 'av', kind: 'note', rate: 1 },
      { vendor: 'finnhub', kind: '5xx', rate: 0.1 },
    ]);
  });

  it('names what is wrong in a bad spec', () => {
    expect(() => parseFaultSpec('polygon', SANDBOX_VENDORS)).toThrow(/expected vendor=kind\[:rate\]/);
    expect(() => parseFaultSpec('nasdaq=hang', SANDBOX_VENDORS)).toThrow(/unknown vendor "nasdaq"/);
    expect(() => parseFaultSpec('polygon=explode', SANDBOX_VENDORS)).toThrow(/unknown fault "explode"/);
    expect(() => parseFaultSpec('polygon=5xx:1.5', SANDBOX_VENDORS)).toThrow(/rate must be in \(0, 1\]/);
  });

  it('draws faults from the seed: same seed, same faults; roughly the asked rate', () => {
    const rules = parseFaultSpec('finnhub=5xx:0.1', SANDBOX_VENDORS);
    const run = (seed: number): number[] => {
      const inject = faultInjector(rules, seed);
      return Array.from({ length: 2_000 }, (_, i) => i).filter((i) => inject(ctx('finnhub', i)) !== undefined);
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
    expect(run(7).length).toBeGreaterThan(150);
    expect(run(7).length).toBeLessThan(250);
    expect(faultInjector(rules, 7)(ctx('polygon', 1))).toBeUndefined();
  });

  it('answers with each vendor’s own rate-limit response', () => {
    const inject = faultInjector(parseFaultSpec('polygon=429,av=429', SANDBOX_VENDORS), 1);
    const polygon = inject(ctx('polygon', 1));
    expect(polygon).toMatchObject({ kind: 'status', status: 429 });
    expect(polygon?.kind === 'status' && polygon.body).toContain("You've exceeded the maximum requests per minute");
    const av = inject(ctx('av', 1));
    expect(av).toMatchObject({ kind: 'status', status: 200 });
    expect(av?.kind === 'status' && JSON.parse(av.body)).toHaveProperty('Note');
  });
});
