import type { WidgetSpec } from '../../runtime/protocol.ts';

/** What every control component receives: its spec, whether it may be used, and where changes go. */
export interface ControlProps {
  spec: WidgetSpec;
  disabled: boolean;
  /** A new value chosen by the person (sent to the session, or held by a form until submit). */
  onValue: (value: unknown) => void;
}
