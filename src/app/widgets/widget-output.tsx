import { useNotebook } from '../notebook-context.ts';
import type { WidgetSpec } from '../../runtime/protocol.ts';
import { WidgetField } from './widget-field.tsx';

/** A widget a cell displayed: its control, wired to `session.setInput`, disabled until the runtime is ready. */
export function WidgetOutput(props: { spec: WidgetSpec }) {
  const notebook = useNotebook();
  return (
    <WidgetField
      spec={props.spec}
      disabled={notebook.snapshot().runtime !== 'ready'}
      onValue={(value) => notebook.session.setInput(props.spec.key, value)}
    />
  );
}
