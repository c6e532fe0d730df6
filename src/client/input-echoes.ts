/**
 * A control's new value and the runs that have not seen it yet.
 *
 * A run that started before the worker took a change (the first run of a
 * restarted worker, say) reports the control with its old value; shown as it
 * is, the control would snap back under the reader's hand until the run of
 * the new value arrives. Each change is sent with a ticket; the worker answers
 * with the generation from which its runs see it. Until then, and for events
 * of older generations, a reported control shows the page's newest value.
 */
import type { CellEvent, OutputItem } from '../runtime/protocol.ts';

interface Sent {
  value: unknown;
  ticket: number;
  /** Runs of this generation and newer saw `value`; `Infinity` while the change is in flight. */
  from: number;
}

export class InputEchoes {
  private readonly sent = new Map<string, Sent>();
  private tickets = 0;

  /** The page sent `value` for `key`; returns the ticket to acknowledge it with. */
  send(key: string, value: unknown): number {
    const ticket = ++this.tickets;
    this.sent.set(key, { value, ticket, from: Infinity });
    return ticket;
  }

  /** The worker took the change of `ticket`: its runs from `generation` on see it. A superseded ticket is ignored. */
  applied(key: string, ticket: number, generation: number): void {
    const entry = this.sent.get(key);
    if (entry?.ticket === ticket) entry.from = generation;
  }

  /** A new worker starts from `firstGeneration` with every value sent so far among its inputs. */
  restarted(firstGeneration: number): void {
    for (const entry of this.sent.values()) entry.from = Math.min(entry.from, firstGeneration);
  }

  /** Forget every change (a reset starts from the notebook's defaults). */
  clear(): void {
    this.sent.clear();
  }

  /** `event` with each control a run older than its last change reported showing that change instead. */
  correct(event: CellEvent): CellEvent {
    if (this.sent.size === 0) return event;
    if (event.status === 'pending') return event.partial ? { ...event, partial: this.outputs(event.partial, event.run.generation) } : event;
    return { ...event, outputs: this.outputs(event.outputs, event.run.generation) };
  }

  private outputs(items: OutputItem[], generation: number): OutputItem[] {
    return items.map((item): OutputItem => {
      if (item.type !== 'widget') return item;
      const entry = this.sent.get(item.widget.key);
      if (!entry || generation >= entry.from) return item;
      return { ...item, widget: { ...item.widget, value: entry.value } };
    });
  }
}
