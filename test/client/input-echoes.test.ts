import { describe, expect, it } from 'vitest';
import { InputEchoes } from '../../src/client/input-echoes.ts';
import type { CellEvent } from '../../src/runtime/protocol.ts';

/** The widget cell's settled event of `generation`, reporting the checkbox at `value`. */
function reported(generation: number, value: boolean): CellEvent {
  return {
    cell: 'c1',
    status: 'fulfilled',
    run: { generation, runs: 1 },
    durationMs: 1,
    outputs: [
      { type: 'text', text: 'hello' },
      { type: 'widget', widget: { kind: 'checkbox', key: 'c1:Loop', label: 'Loop', value, options: {} } },
    ],
  };
}

const shown = (event: CellEvent) => (event.status === 'pending' ? undefined : event.outputs.find((o) => o.type === 'widget'));
const valueOf = (event: CellEvent) => {
  const item = shown(event);
  return item?.type === 'widget' ? item.widget.value : undefined;
};

describe('InputEchoes', () => {
  it('leaves controls alone when nothing was sent', () => {
    const event = reported(5, true);
    expect(new InputEchoes().correct(event)).toBe(event);
  });

  it('shows the sent value on a run reported while the change is in flight (a restarted worker’s first run)', () => {
    const echoes = new InputEchoes();
    echoes.send('c1:Loop', false);
    expect(valueOf(echoes.correct(reported(7, true)))).toBe(false);
  });

  it('trusts runs from the acknowledged generation on, and corrects only older ones', () => {
    const echoes = new InputEchoes();
    const ticket = echoes.send('c1:Loop', false);
    echoes.applied('c1:Loop', ticket, 10);
    expect(valueOf(echoes.correct(reported(9, true)))).toBe(false);
    // A later run may legitimately report another value (another tab's change, a coerced value).
    expect(valueOf(echoes.correct(reported(10, true)))).toBe(true);
    // Other outputs of the event are kept as they were.
    const corrected = echoes.correct(reported(9, true));
    expect(corrected.status === 'pending' ? undefined : corrected.outputs[0]).toEqual({ type: 'text', text: 'hello' });
  });

  it('ignores the acknowledgement of a superseded change', () => {
    const echoes = new InputEchoes();
    const first = echoes.send('c1:Loop', true);
    echoes.send('c1:Loop', false);
    echoes.applied('c1:Loop', first, 3);
    // The second change is still in flight: a generation-5 run has not seen it.
    expect(valueOf(echoes.correct(reported(5, true)))).toBe(false);
  });

  it('after a restart, trusts the new worker (it started with every value sent)', () => {
    const echoes = new InputEchoes();
    echoes.send('c1:Loop', false);
    echoes.restarted(2 ** 32);
    expect(valueOf(echoes.correct(reported(2 ** 32 + 1, true)))).toBe(true);
    expect(valueOf(echoes.correct(reported(12, true)))).toBe(false);
  });

  it('forgets everything on clear (a reset)', () => {
    const echoes = new InputEchoes();
    echoes.send('c1:Loop', false);
    echoes.clear();
    expect(valueOf(echoes.correct(reported(1, true)))).toBe(true);
  });
});
