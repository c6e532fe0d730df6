import { createEffect, createMemo, createSignal, createUniqueId, on, onCleanup, onMount } from 'solid-js';
import type { ScaleInfo } from '../../widgets/spec.ts';
import { brushPixels, brushValue, frameOf, type Axis, type BrushFigure, type PixelBrush } from '../../widgets/brush.ts';
import { isOrdinal } from '../../widgets/scales.ts';
import { FigureOutput } from '../outputs/figure-output.tsx';
import { formatCell } from '../value-format.ts';
import type { ControlProps, Controls } from './control-props.ts';
import { SelectionHeader, selectionText } from './selection-header.tsx';

/** Pixels (in the figure's units) within which a press grabs a brush edge. */
const EDGE = 6;
/** Keyboard step: a fraction of the frame (Ctrl/Cmd: ten times as much). */
const KEY_STEP = 0.01;

type Drag = { mode: 'new' | 'move' | 'w' | 'e' | 'n' | 's'; start: [number, number]; from: PixelBrush | null; moved: boolean };

/** A brush value (interval ends, categories) as text. */
function intervalText(value: unknown): string | null {
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number' || v instanceof Date)) {
    return value.map((v) => formatCell(v, '').text).join(' – ');
  }
  return selectionText(value, (v) => formatCell(v, '').text);
}

/**
 * `brush(label, figure, {x, y})`: the figure with a brush over its frame.
 * Drag (mouse, pen or touch) to select, drag the selection to move it, its
 * edges to resize; arrow keys move it and Shift+arrows resize it; Escape or ✕
 * clears. The value (data units) is computed here from the scales the runtime
 * sent, and sent at most once per frame while dragging.
 */
export function BrushControl(props: ControlProps) {
  const hint = createUniqueId();
  const figure = () => props.spec.options.figure as BrushFigure & { html: string };
  const axes = () => (props.spec.options.axes as Axis[] | undefined) ?? ['x'];
  // The cell re-runs on every brush move with the same markup: a memo keeps the figure from being sanitized and redrawn each time.
  const html = createMemo(() => figure().html);
  const [brush, setBrush] = createSignal<PixelBrush | null>(brushPixels(figure(), axes(), props.spec.value));
  const [value, setValue] = createSignal<unknown>(props.spec.value);
  const [box, setBox] = createSignal({ left: 0, top: 0, width: 0, height: 0, k: 1 });
  let drag: Drag | undefined;
  let holder!: HTMLDivElement;
  let frame = 0;

  // A value from the runtime (restored, cleared because it left the domain, or the figure re-rendered) redraws the brush, unless a drag is under way.
  createEffect(on(() => [props.spec.value, figure()] as const, ([next]) => {
    if (drag) return;
    setValue(() => next);
    setBrush(brushPixels(figure(), axes(), next));
  }, { defer: true }));

  const send = (now = false) => {
    const next = brushValue(figure(), axes(), brush());
    setValue(() => next);
    cancelAnimationFrame(frame);
    if (now) props.onValue(next);
    else frame = requestAnimationFrame(() => props.onValue(next));
  };

  /** Where the plot's own svg sits in the holder, and its scale factor (it shrinks on narrow screens). */
  const measure = () => {
    const svgs = [...holder.querySelectorAll('svg')];
    const svg = svgs.sort((a, b) => b.getBoundingClientRect().width * b.getBoundingClientRect().height - a.getBoundingClientRect().width * a.getBoundingClientRect().height)[0];
    if (!svg) return;
    const outer = holder.getBoundingClientRect();
    const rect = svg.getBoundingClientRect();
    setBox({ left: rect.left - outer.left, top: rect.top - outer.top, width: rect.width, height: rect.height, k: rect.width / (figure().width || rect.width || 1) });
  };
  onMount(() => {
    const observer = new ResizeObserver(measure);
    observer.observe(holder);
    onCleanup(() => observer.disconnect());
  });
  createEffect(on(html, () => requestAnimationFrame(measure)));

  const frameOfAxis = (axis: Axis) => frameOf(figure(), axis);
  const clampTo = (axis: Axis, p: number) => {
    const [lo, hi] = frameOfAxis(axis);
    return Math.min(hi, Math.max(lo, p));
  };
  const point = (event: PointerEvent): [number, number] => {
    const outer = holder.getBoundingClientRect();
    const b = box();
    return [(event.clientX - outer.left - b.left) / b.k, (event.clientY - outer.top - b.top) / b.k];
  };
  const full = (axis: Axis, extent?: [number, number]): [number, number] => (axes().includes(axis) && extent ? extent : frameOfAxis(axis));

  const onDown = (event: PointerEvent) => {
    if (props.disabled || event.button > 0) return;
    const [x, y] = point(event);
    const current = brush();
    let mode: Drag['mode'] = 'new';
    if (current?.x && current.y) {
      const [x0, x1] = current.x;
      const [y0, y1] = current.y;
      const inside = x >= x0 - EDGE && x <= x1 + EDGE && y >= y0 - EDGE && y <= y1 + EDGE;
      if (inside) {
        if (axes().includes('x') && Math.abs(x - x0) <= EDGE) mode = 'w';
        else if (axes().includes('x') && Math.abs(x - x1) <= EDGE) mode = 'e';
        else if (axes().includes('y') && Math.abs(y - y0) <= EDGE) mode = 'n';
        else if (axes().includes('y') && Math.abs(y - y1) <= EDGE) mode = 's';
        else mode = 'move';
      }
    }
    drag = { mode, start: [x, y], from: current, moved: false };
    (event.currentTarget as Element).setPointerCapture(event.pointerId);
    event.preventDefault();
  };

  const onMove = (event: PointerEvent) => {
    if (!drag) return;
    const [x, y] = point(event);
    const [dx, dy] = [x - drag.start[0], y - drag.start[1]];
    if (!drag.moved && Math.hypot(dx, dy) < 2) return;
    drag.moved = true;
    const from = drag.from;
    let next: PixelBrush;
    if (drag.mode === 'new' || !from?.x || !from.y) {
      const [sx, sy] = drag.start;
      next = {
        x: full('x', [clampTo('x', Math.min(sx, x)), clampTo('x', Math.max(sx, x))]),
        y: full('y', [clampTo('y', Math.min(sy, y)), clampTo('y', Math.max(sy, y))]),
      };
    } else if (drag.mode === 'move') {
      const shift = (axis: Axis, extent: [number, number], d: number): [number, number] => {
        if (!axes().includes(axis)) return extent;
        const [lo, hi] = frameOfAxis(axis);
        const moved = Math.min(hi - extent[1], Math.max(lo - extent[0], d));
        return [extent[0] + moved, extent[1] + moved];
      };
      next = { x: shift('x', from.x, dx), y: shift('y', from.y, dy) };
    } else {
      const edge = drag.mode;
      const x0 = edge === 'w' ? clampTo('x', from.x[0] + dx) : from.x[0];
      const x1 = edge === 'e' ? clampTo('x', from.x[1] + dx) : from.x[1];
      const y0 = edge === 'n' ? clampTo('y', from.y[0] + dy) : from.y[0];
      const y1 = edge === 's' ? clampTo('y', from.y[1] + dy) : from.y[1];
      next = { x: [Math.min(x0, x1), Math.max(x0, x1)], y: [Math.min(y0, y1), Math.max(y0, y1)] };
    }
    setBrush(next);
    send();
  };

  const onUp = () => {
    if (!drag) return;
    // A press without a drag outside the brush clears it (as in d3-brush).
    if (!drag.moved && drag.mode === 'new') setBrush(null);
    drag = undefined;
    send(true);
  };

  const clear = () => {
    setBrush(null);
    send(true);
  };

  const onKey = (event: KeyboardEvent) => {
    if (props.disabled) return;
    if (event.key === 'Escape' || event.key === 'Delete' || event.key === 'Backspace') {
      if (brush()) {
        event.preventDefault();
        clear();
      }
      return;
    }
    const directions: Record<string, [Axis, number]> = { ArrowLeft: ['x', -1], ArrowRight: ['x', 1], ArrowUp: ['y', -1], ArrowDown: ['y', 1] };
    const direction = directions[event.key];
    if (!direction || !axes().includes(direction[0])) return;
    event.preventDefault();
    const [axis, sign] = direction;
    const [lo, hi] = frameOfAxis(axis);
    const scale = figure().scales[axis] as ScaleInfo | undefined;
    // Band scales move a band at a time; continuous ones by a share of the frame.
    const band = scale && isOrdinal(scale) && scale.positions && scale.positions.length > 1 ? Math.abs(scale.positions[1]! - scale.positions[0]!) : 0;
    const step = band || (hi - lo) * KEY_STEP * (event.ctrlKey || event.metaKey ? 10 : 1);
    const current = brush() ?? {
      x: full('x', [lo + (hi - lo) * 0.4, lo + (hi - lo) * 0.6]),
      y: full('y', [frameOfAxis('y')[0] + (frameOfAxis('y')[1] - frameOfAxis('y')[0]) * 0.4, frameOfAxis('y')[0] + (frameOfAxis('y')[1] - frameOfAxis('y')[0]) * 0.6]),
    };
    const extent = current[axis]!;
    let next: [number, number];
    if (!brush()) next = extent;
    else if (event.shiftKey) {
      // Shift: resize (move the far edge), never below one step.
      next = [extent[0], Math.min(hi, Math.max(extent[0] + step, extent[1] + sign * step))];
    } else {
      const d = Math.min(hi - extent[1], Math.max(lo - extent[0], sign * step));
      next = [extent[0] + d, extent[1] + d];
    }
    setBrush({ ...current, [axis]: next });
    send(true);
  };

  const percent = (axis: Axis, i: 0 | 1) => {
    const b = brush();
    const extent = b?.[axis];
    return extent ? extent[i] * box().k : 0;
  };
  const overlayFrame = () => {
    const k = box().k;
    const [x0, x1] = frameOfAxis('x');
    const [y0, y1] = frameOfAxis('y');
    return { left: `${box().left + x0 * k}px`, top: `${box().top + y0 * k}px`, width: `${(x1 - x0) * k}px`, height: `${(y1 - y0) * k}px` };
  };
  const text = () => intervalText(value());

  return (
    <div class="control control-brush">
      <SelectionHeader label={props.spec.label} text={text()} disabled={props.disabled} onClear={clear} />
      <div ref={holder} class="selection-figure">
        <FigureOutput html={html()} width={figure().width} />
        <div
          class="brush-layer"
          classList={{ 'is-disabled': props.disabled }}
          style={{ ...overlayFrame(), 'touch-action': axes().includes('y') ? 'none' : 'pan-y' }}
          role="slider"
          tabindex={props.disabled ? -1 : 0}
          aria-label={props.spec.label}
          aria-valuetext={text() ?? 'nothing selected'}
          aria-describedby={hint}
          onPointerDown={onDown}
          onPointerMove={onMove}
          onPointerUp={onUp}
          onPointerCancel={onUp}
          onKeyDown={onKey}
        >
          {brush() && (
            <div
              class="brush-selection"
              style={{
                left: `${percent('x', 0) - box().k * frameOfAxis('x')[0]}px`,
                width: `${percent('x', 1) - percent('x', 0)}px`,
                top: `${percent('y', 0) - box().k * frameOfAxis('y')[0]}px`,
                height: `${percent('y', 1) - percent('y', 0)}px`,
              }}
            />
          )}
        </div>
        <span id={hint} class="sr-only">Drag to select; arrow keys move the selection, Shift with arrow keys resizes it, Escape clears it.</span>
      </div>
    </div>
  );
}

/** The kinds this control draws (collected by widget-field.tsx). */
export const controls: Controls = { brush: BrushControl };
