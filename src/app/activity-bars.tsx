import { For, createEffect } from 'solid-js';
import type { Activity } from '../client/session-types.ts';

/** Long-running work (file ingest, slow queries) as labelled progress bars under the header. */
export function ActivityBars(props: { activities: Activity[] }) {
  return (
    <div class="activities" aria-live="polite">
      <For each={props.activities}>{(activity) => <ActivityBar activity={activity} />}</For>
    </div>
  );
}

function ActivityBar(props: { activity: Activity }) {
  let bar!: HTMLProgressElement;
  // A progress element is indeterminate only without a `value` attribute; the property cannot express that.
  createEffect(() => {
    const fraction = props.activity.fraction;
    if (fraction === null || !Number.isFinite(fraction)) bar.removeAttribute('value');
    else bar.value = Math.min(1, Math.max(0, fraction));
  });
  return (
    <div class="activity">
      <span class="activity-label">{props.activity.label}</span>
      <progress ref={bar} class="activity-bar" max="1" aria-label={props.activity.label} />
    </div>
  );
}
