import { For } from 'solid-js';
import type { Activity } from '../client/session-types.ts';
import { ProgressBar } from './progress-bar.tsx';

/** Long-running work (file ingest, slow queries) as labelled progress bars under the header. */
export function ActivityBars(props: { activities: Activity[] }) {
  return (
    <div class="activities" aria-live="polite">
      <For each={props.activities}>
        {(activity) => (
          <div class="activity">
            <span class="activity-label">{activity.label}</span>
            {activity.detail && <span class="activity-detail">{activity.detail}</span>}
            <ProgressBar fraction={activity.fraction} label={activity.label} />
          </div>
        )}
      </For>
    </div>
  );
}
