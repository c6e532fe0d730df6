/**
 * JavaScript heap of every page and worker (nested workers included) over
 * the Chrome DevTools Protocol, and the renderer's resident memory. playwright's
 * CDPSession cannot address child sessions, so this attaches to each target
 * in non-flat mode and routes messages with `Target.sendMessageToTarget`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Browser, CDPSession } from 'playwright-core';

export interface TargetMemory {
  type: string;
  /** The worker's `name` option or the page title, and its URL. */
  title: string;
  url: string;
  /** V8 heap in use. */
  jsHeapUsed: number;
  jsHeapTotal: number;
  /** ArrayBuffer backing stores outside the V8 heap (Arrow buffers, file bytes). */
  backingStore: number;
}

type Message = { id?: number; result?: Record<string, unknown>; error?: { message: string } };

/** A tiny request/response router for one non-flat target session. */
export class TargetSession {
  private next = 0;
  private readonly pending = new Map<number, { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void }>();

  constructor(private readonly cdp: CDPSession, readonly sessionId: string) {}

  receive(message: Message): void {
    if (message.id === undefined) return;
    const waiter = this.pending.get(message.id);
    if (!waiter) return;
    this.pending.delete(message.id);
    if (message.error) waiter.reject(new Error(message.error.message));
    else waiter.resolve(message.result ?? {});
  }

  /** Sends one command; rejects after `timeoutMs` (a busy worker may not answer). */
  async send(method: string, params: Record<string, unknown> = {}, timeoutMs = 15_000): Promise<Record<string, unknown>> {
    const id = ++this.next;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const reply = new Promise<Record<string, unknown>>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    await this.cdp.send('Target.sendMessageToTarget', { sessionId: this.sessionId, message: JSON.stringify({ id, method, params }) });
    try {
      return await reply;
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * Resident memory of the page renderer processes this Node process launched
 * (workers run inside their page's renderer, so this includes DuckDB's
 * WebAssembly memory, which no per-target heap figure shows). Linux only.
 */
export function rendererResidentBytes(): { pid: number; rssBytes: number }[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  const found: { pid: number; rssBytes: number }[] = [];
  const visit = (pid: number): void => {
    for (const child of children.get(pid) ?? []) {
      try {
        const cmdline = readFileSync(`/proc/${child}/cmdline`, 'utf8');
        // Toolbar UI renderers (`--top-chrome-webui`) are Chromium's own, not the app's.
        if (cmdline.includes('--type=renderer') && !cmdline.includes('--top-chrome-webui')) {
          const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child}/status`, 'utf8'));
          if (rss) found.push({ pid: child, rssBytes: Number(rss[1]) * 1024 });
        }
      } catch {
        // Gone already.
      }
      visit(child);
    }
  };
  visit(process.pid);
  return found;
}

/** Memory of every page and worker whose URL starts with `origin`. */
export async function measureMemory(browser: Browser, origin: string): Promise<TargetMemory[]> {
  const cdp = await browser.newBrowserCDPSession();
  const sessions = new Map<string, TargetSession>();
  cdp.on('Target.receivedMessageFromTarget', (event) => {
    sessions.get(event.sessionId ?? '')?.receive(JSON.parse(event.message) as Message);
  });
  try {
    const { targetInfos } = await cdp.send('Target.getTargets');
    const measured: TargetMemory[] = [];
    for (const target of targetInfos) {
      if (!['page', 'worker'].includes(target.type) || !target.url.startsWith(origin)) continue;
      // Non-flat mode is deprecated but still the only way playwright's CDPSession can reach a worker.
      const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
      const session = new TargetSession(cdp, sessionId);
      sessions.set(sessionId, session);
      try {
        const heap = (await session.send('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number; backingStorageSize?: number };
        measured.push({
          type: target.type,
          title: target.title,
          url: target.url,
          jsHeapUsed: heap.usedSize,
          jsHeapTotal: heap.totalSize,
          backingStore: heap.backingStorageSize ?? 0,
        });
      } finally {
        await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => {});
      }
    }
    return measured;
  } finally {
    await cdp.detach().catch(() => {});
  }
}
