/**
 * Work the data engine puts off while queries keep coming (a brush dragged,
 * a slider held): each job runs once no query has begun for `quietMs`. Jobs
 * are kept by key, the newest replacing an older one of the same key, and
 * at most `limit` wait (the oldest are dropped: they were superseded).
 */
export class QuietWork {
  private lastActivity = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly jobs = new Map<string, () => void>();

  constructor(
    private readonly quietMs: number,
    private readonly limit = Infinity,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** A query began: waiting jobs wait `quietMs` more. */
  activity(): void {
    this.lastActivity = this.now();
  }

  /** Runs `job` once the engine is quiet; replaces a waiting job of the same key. */
  add(key: string, job: () => void): void {
    this.jobs.delete(key);
    this.jobs.set(key, job);
    if (this.jobs.size > this.limit) this.jobs.delete(this.jobs.keys().next().value!);
    if (this.timer === undefined) this.arm();
  }

  /** Drops every waiting job. */
  clear(): void {
    this.jobs.clear();
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    const wait = Math.max(0, this.quietMs - (this.now() - this.lastActivity));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // A query began meanwhile: wait again from it.
      if (this.now() - this.lastActivity < this.quietMs) return this.arm();
      const jobs = [...this.jobs.values()];
      this.jobs.clear();
      for (const job of jobs) job();
    }, wait);
  }
}
