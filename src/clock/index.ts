export { type Clock, SystemClock, systemClock, abortReason } from './clock.js';
export { VirtualClock, type VirtualClockOptions } from './virtual-clock.js';
