import { describe, expect, it } from 'vitest';
import { Watchdog, type WatchdogClock } from '../../src/client/watchdog.ts';

/** A clock the test advances by hand; `every` ticks are run by `advance`. */
function manualClock() {
  let now = 0;
  const tickers = new Set<{ ms: number; next: number; tick: () => void }>();
  const clock: WatchdogClock = {
    now: () => now,
    every(ms, tick) {
      const t = { ms, next: now + ms, tick };
      tickers.add(t);
      return () => tickers.delete(t);
    },
  };
  async function advance(ms: number) {
    const end = now + ms;
    while (true) {
      const due = [...tickers].filter((t) => t.next <= end).sort((a, b) => a.next - b.next)[0];
      if (!due) break;
      now = due.next;
      due.next += due.ms;
      due.tick();
      await Promise.resolve();
      await Promise.resolve();
    }
    now = end;
  }
  return { clock, advance, active: () => tickers.size };
}

describe('Watchdog', () => {
  it('never fires while pings are answered', async () => {
    const { clock, advance } = manualClock();
    let pings = 0;
    let blocked = 0;
    const dog = new Watchdog({ timeoutMs: 1000, intervalMs: 100, clock, ping: async () => void pings++, onBlocked: () => blocked++ });
    dog.start();
    await advance(10_000);
    expect(blocked).toBe(0);
    expect(pings).toBeGreaterThan(40);
  });

  it('fires once, after the limit, when a ping is never answered, and stops itself', async () => {
    const { clock, advance, active } = manualClock();
    let blocked = 0;
    let answer: (() => void) | null = null;
    let hang = false;
    const dog = new Watchdog({
      timeoutMs: 1000,
      intervalMs: 100,
      clock,
      ping: () => (hang ? new Promise<void>((resolve) => (answer = resolve)) : Promise.resolve()),
      onBlocked: () => blocked++,
    });
    dog.start();
    await advance(500);
    hang = true;
    await advance(900);
    expect(blocked).toBe(0);
    await advance(400);
    expect(blocked).toBe(1);
    expect(dog.running).toBe(false);
    expect(active()).toBe(0);
    await advance(5000);
    expect(blocked).toBe(1);
    expect(answer).not.toBeNull();
  });

  it('a slow but answered ping does not count as blocked', async () => {
    const { clock, advance } = manualClock();
    let blocked = 0;
    const dog = new Watchdog({
      timeoutMs: 1000,
      intervalMs: 100,
      clock,
      ping: () => new Promise<void>((resolve) => setTimeout(resolve, 0)),
      onBlocked: () => blocked++,
    });
    dog.start();
    for (let i = 0; i < 50; i++) {
      await advance(100);
      await new Promise((r) => setTimeout(r, 1));
    }
    expect(blocked).toBe(0);
    dog.stop();
  });
});
