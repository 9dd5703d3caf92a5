import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock/index.js';
import { HttpClient } from './client.js';
import { fakeFetch } from './test-support/fake-fetch.js';

v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

/** Lets the current job end (WeakRefs are kept alive until it does), then collects twice. */
async function settleAndCollect(): Promise<void> {
  for (let i = 0; i < 2; i += 1) {
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
  }
}

describe('what a finished request keeps alive', () => {
  // A backfill makes thousands of requests in one process: anything a request leaves reachable
  // (its body, its headers) grows the heap with every page until the process is killed.
  it('nothing of its response once the caller drops the result', async () => {
    const responses: WeakRef<Headers>[] = [];
    const { fetch } = fakeFetch(() => {
      const response = new Response(JSON.stringify({ bars: 'x'.repeat(64 * 1024) }), { status: 200 });
      responses.push(new WeakRef(response.headers));
      return response;
    });
    const client = new HttpClient({ vendor: 'alpaca', clock: new VirtualClock({ start: 0 }), secrets: [], classify: () => undefined, maxRetries: 0, fetch });
    for (let i = 0; i < 50; i += 1) {
      const { body } = await client.getJson<{ bars: string }>(new URL(`http://vendor.test/bars?page=${i}`), { endpoint: 'alpaca.bars' });
      expect(body.bars.length).toBe(64 * 1024);
    }
    await settleAndCollect();
    expect(responses).toHaveLength(50);
    expect(responses.filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
  });
});
