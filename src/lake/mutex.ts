/** Runs tasks one at a time, in call order. A failed task does not block the ones behind it. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once every task queued so far has settled. */
  async drain(): Promise<void> {
    await this.tail;
  }
}

/** One Mutex per key (a partition, a table file), dropped when its queue empties. */
export class KeyedMutex {
  private readonly queues = new Map<string, { mutex: Mutex; pending: number }>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    let entry = this.queues.get(key);
    if (!entry) {
      entry = { mutex: new Mutex(), pending: 0 };
      this.queues.set(key, entry);
    }
    entry.pending += 1;
    try {
      return await entry.mutex.run(task);
    } finally {
      entry.pending -= 1;
      if (entry.pending === 0) this.queues.delete(key);
    }
  }
}
