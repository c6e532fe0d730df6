import { For, Match, Switch } from 'solid-js';

/** Children shown per level before "… n more", so a huge value cannot freeze the page. */
const MAX_CHILDREN = 100;

/** Any other value: a small collapsible tree of the JSON-safe preview the runtime sent. */
export function ValueInspector(props: { preview: unknown; typeName: string }) {
  return (
    <div class="inspector">
      <InspectorNode value={props.preview} label={props.typeName} depth={0} />
    </div>
  );
}

function InspectorNode(props: { value: unknown; label?: string; name?: string; depth: number }) {
  const entries = (): [string, unknown][] =>
    Array.isArray(props.value)
      ? props.value.map((v, i) => [String(i), v])
      : Object.entries(props.value as Record<string, unknown>);
  const summary = () => {
    const n = entries().length;
    if (Array.isArray(props.value)) return `${props.label ?? 'Array'}(${n})`;
    const keys = entries().slice(0, 4).map(([k]) => k).join(', ');
    return `${props.label ?? 'Object'} {${keys}${n > 4 ? ', …' : ''}}`;
  };
  return (
    <Switch>
      <Match when={props.value !== null && typeof props.value === 'object'}>
        <details class="inspector-node" open={props.depth === 0}>
          <summary>
            {props.name !== undefined && <span class="inspector-key">{props.name}: </span>}
            <span class="inspector-summary">{summary()}</span>
          </summary>
          <div class="inspector-children">
            <For each={entries().slice(0, MAX_CHILDREN)}>
              {([key, child]) => <InspectorNode value={child} name={key} depth={props.depth + 1} />}
            </For>
            {entries().length > MAX_CHILDREN && (
              <div class="inspector-more">… {entries().length - MAX_CHILDREN} more</div>
            )}
          </div>
        </details>
      </Match>
      <Match when={true}>
        <div class="inspector-leaf">
          {props.name !== undefined && <span class="inspector-key">{props.name}: </span>}
          {props.name === undefined && props.label && props.depth === 0 && (
            <span class="inspector-summary">{props.label} </span>
          )}
          <span class={`inspector-${props.value === null ? 'null' : typeof props.value}`}>
            {typeof props.value === 'string' ? JSON.stringify(props.value) : String(props.value)}
          </span>
        </div>
      </Match>
    </Switch>
  );
}
