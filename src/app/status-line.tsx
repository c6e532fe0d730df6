import { Show } from 'solid-js';
import type { EngineStatus } from '../client/session-types.ts';

const WORDS: Record<EngineStatus, string> = {
  starting: 'starting',
  ready: 'ready',
  restarting: 'restarting',
  failed: 'failed',
};

/**
 * The two engines' states, e.g. "Runtime ● ready · DuckDB ◌ starting", and
 * whether some outputs on screen are still the last visit's.
 */
export function StatusLine(props: { runtime: EngineStatus; data: EngineStatus; restored?: boolean }) {
  return (
    <div class="status-line" role="status" aria-live="polite">
      <Show when={props.restored}>
        <span class="status status-restored" title="Results saved on your last visit, shown while the notebook runs again">
          Last visit's results
        </span>
      </Show>
      <span class={`status status-${props.runtime}`}>
        <span class="status-dot" aria-hidden="true" />
        Runtime {WORDS[props.runtime]}
      </span>
      <span class={`status status-${props.data}`}>
        <span class="status-dot" aria-hidden="true" />
        DuckDB {WORDS[props.data]}
      </span>
    </div>
  );
}
