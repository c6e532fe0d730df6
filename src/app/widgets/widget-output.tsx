import { useNotebook } from '../notebook-context.ts';
import type { WidgetKind, WidgetSpec } from '../../runtime/protocol.ts';
import { WidgetField } from './widget-field.tsx';

/**
 * Controls whose change is an event for one run (a click, a submit), not a
 * value: a runtime that is not up yet could not tell which run it was for.
 */
const EVENTS: ReadonlySet<WidgetKind> = new Set(['button', 'form']);

/**
 * A widget a cell displayed: its control, wired to `session.setInput`. A
 * value control works from the moment it is painted — on a first visit the
 * build's snapshot paints it before the runtime is up, and a reader who moves
 * it then must not be ignored: the session keeps the value and the runtime
 * starts with it (or takes it once ready). Only a runtime that failed to
 * start disables them all.
 */
export function WidgetOutput(props: { spec: WidgetSpec }) {
  const notebook = useNotebook();
  const disabled = () => {
    const runtime = notebook.snapshot().runtime;
    return runtime === 'failed' || (runtime !== 'ready' && EVENTS.has(props.spec.kind));
  };
  return (
    <WidgetField
      spec={props.spec}
      disabled={disabled()}
      onValue={(value) => notebook.session.setInput(props.spec.key, value)}
    />
  );
}
