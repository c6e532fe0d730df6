/**
 * Solid's view of a `Session`: the snapshot as a signal. The session replaces
 * its snapshot on every change and keeps unchanged parts (cell events) by
 * identity, so per-cell memos only fire for cells that actually changed.
 */
import { createSignal, onCleanup, type Accessor } from 'solid-js';
import type { Session, SessionSnapshot } from '../client/session-types.ts';

/** Subscribes to a session for the lifetime of the calling owner. */
export function createSnapshotSignal(session: Session): Accessor<SessionSnapshot> {
  const [snapshot, setSnapshot] = createSignal(session.snapshot(), { equals: false });
  const unsubscribe = session.subscribe((next) => setSnapshot(() => next));
  onCleanup(unsubscribe);
  return snapshot;
}
