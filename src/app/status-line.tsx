import type { EngineStatus } from '../client/session-types.ts';

const WORDS: Record<EngineStatus, string> = {
  starting: 'starting',
  ready: 'ready',
  restarting: 'restarting',
  failed: 'failed',
};

/** The two engines' states, e.g. "Runtime ● ready · DuckDB ◌ starting". */
export function StatusLine(props: { runtime: EngineStatus; data: EngineStatus }) {
  return (
    <div class="status-line" role="status" aria-live="polite">
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
