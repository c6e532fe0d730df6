/**
 * A brush drag's record matched step by step: which pointer moves' values
 * reached every linked output, how long that took, and whether any output
 * ever went back to an older value. Pure (the page records, this judges).
 */

export interface DragRecord {
  /** Each pointer move while the button is down: page time and the brush's upper end then. */
  moves: { t: number; hi: number | null }[];
  /** Each change of an output's marker: page time, output, the upper end it shows (null: no selection). */
  updates: { t: number; name: string; hi: number | null }[];
}

/** What one drag measured. */
export interface DragFigures {
  latencies: number[];
  steps: number;
  shown: number;
  dropped: number;
  /** Output changes that replaced a newer value by an older one (must be 0). */
  overwrites: number;
}

/** Steps matched to the outputs that showed them (pure, so it can be tested). */
export function dragFigures(record: DragRecord, names: readonly string[]): DragFigures {
  // Consecutive moves with the same value are one step (the pointer moved within a pixel of data).
  const steps = record.moves.filter((move, i) => move.hi !== null && (i === 0 || move.hi !== record.moves[i - 1].hi));
  const close = (a: number | null, b: number | null) => a !== null && b !== null && Math.abs(a - b) <= 1e-3 * Math.max(1, Math.abs(a));
  const latencies: number[] = [];
  for (const step of steps) {
    const shownAt = names.map((name) => record.updates.find((u) => u.name === name && u.t >= step.t && close(u.hi, step.hi))?.t);
    if (shownAt.every((t) => t !== undefined)) latencies.push(Math.max(...(shownAt as number[])) - step.t);
  }
  // The drag only grows the interval: an output going back to a smaller upper end showed stale work over newer.
  let overwrites = 0;
  for (const name of names) {
    const values = record.updates.filter((u) => u.name === name && u.hi !== null).map((u) => u.hi as number);
    for (let i = 1; i < values.length; i++) if (values[i] < values[i - 1] - 1e-9) overwrites++;
  }
  return { latencies, steps: steps.length, shown: latencies.length, dropped: steps.length - latencies.length, overwrites };
}

