import type { Clock } from '../clock/index.js';
import type { StateStore } from './types.js';

/**
 * The store with every call declared I/O on `clock` (`clock.busy`), as the lake's and HTTP's are.
 * A virtual clock must not advance while a state call is in flight: PostgreSQL answers over the
 * network, so without the hold simulated time could jump between a pacer's reservation and the
 * request it grants, and two requests reserved 2 s apart would reach the vendor closer than that.
 * (SQLite calls are synchronous and never let time pass; they are held alike for one behaviour.)
 */
export function holdClockDuringCalls(store: StateStore, clock: Clock): StateStore {
  return new Proxy(store, {
    get: (target, property, receiver) => {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      return (...args: unknown[]): unknown => {
        const result = method.apply(target, args);
        return result instanceof Promise ? clock.busy(result) : result;
      };
    },
  });
}
