import type { Component } from 'solid-js';
import type { WidgetKind, WidgetSpec } from '../../runtime/protocol.ts';

/** What every control component receives: its spec, whether it may be used, and where changes go. */
export interface ControlProps {
  spec: WidgetSpec;
  disabled: boolean;
  /** A new value chosen by the person (sent to the session, or held by a form until submit). */
  onValue: (value: unknown) => void;
}

/**
 * What a control file in this folder exports as `controls`: the widget kinds
 * it draws. `widget-field.tsx` collects every file's export, so a new kind's
 * control is one new file (see docs/extending.md).
 */
export type Controls = Partial<Record<WidgetKind, Component<ControlProps>>>;
