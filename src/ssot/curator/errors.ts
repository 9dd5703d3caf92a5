import { TrademlError } from '../../errors/index.js';

/** A curator job whose configuration cannot run (wrong input for its transform, unknown job name). */
export class CuratorJobError extends TrademlError {
  readonly job: string;

  constructor(job: string, message: string) {
    super(`curator job ${job}: ${message}`);
    this.job = job;
  }
}
