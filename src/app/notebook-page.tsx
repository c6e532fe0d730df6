import type { EngineAddress } from '../notebook/types.ts';
import { Match, Switch, createEffect, createSignal, onCleanup, onMount } from 'solid-js';
import type { AppConfig } from '../client/app-config.ts';
import { DevSync, saveOverHttp, type DevSyncState } from '../client/dev-sync.ts';
import type { Session } from '../client/session-types.ts';
import type { OpenOptions, OpenRequest } from '../client/session.ts';
import { touchRecent } from '../store/recent.ts';
import type { DevFile } from './dev-file-status.tsx';
import type { ViewMode } from './notebook-context.ts';
import { NotebookShell } from './notebook-shell.tsx';
import type { PageRequest } from './open-requests.ts';
import { TrustPrompt } from './trust-prompt.tsx';

/** How a page opens a session; the real one is `openSession`, tests pass a fixture. */
export type SessionOpener = (request: OpenRequest, options?: OpenOptions) => Promise<Session>;

type PageState =
  | { kind: 'loading' }
  /** A shared link, waiting for the person to choose how (or whether) to run it. */
  | { kind: 'confirm'; page: PageRequest }
  | { kind: 'open'; session: Session; page: PageRequest; networkBlocked: boolean; devFile?: DevFile }
  | { kind: 'failed'; message: string };

/**
 * Loads a notebook, opens its session and shows it. While loading it shows a
 * skeleton the size of a header and a few cells (no layout jump); a failure
 * is a message with a way back, never a blank page.
 */
export function NotebookPage(props: {
  load: () => Promise<PageRequest>;
  open: SessionOpener;
  studio: boolean;
  initialMode: ViewMode;
  onOpenNotebook?: (file: File) => void;
  /** `brook dev`: where the file's new text arrives (Server-Sent Events) and where edits are written back. */
  dev?: AppConfig['dev'];
  /** Called once the page shows more than its loading skeleton (the built page's static view then goes). */
  onShown?: () => void;
  /** A built app's own engines, for the trust prompt of a share link (see `AppConfig.engines`). */
  builtEngines?: Record<string, EngineAddress>;
}) {
  const [state, setState] = createSignal<PageState>({ kind: 'loading' });
  createEffect(() => {
    if (state().kind !== 'loading') props.onShown?.();
  });
  let disposed = false;
  let session: Session | undefined;
  const fail = (error: unknown) => {
    if (!disposed) setState({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
  };
  /** Opens the session (network blocked when the person chose so) and shows it. */
  const start = async (page: PageRequest, networkBlocked: boolean) => {
    setState({ kind: 'loading' });
    const request = networkBlocked ? { ...page.request, blockNetwork: true } : page.request;
    const opened = await props.open(request);
    if (disposed) return opened.dispose();
    session = opened;
    const devFile = props.dev ? connectDev(props.dev, opened) : undefined;
    setState({ kind: 'open', session: opened, page, networkBlocked, devFile });
    const origin = page.request.origin;
    if (props.studio && (origin.kind === 'example' || origin.kind === 'new' || origin.kind === 'file')) {
      const title = opened.snapshot().notebook.frontMatter.title ?? page.title;
      void touchRecent({ id: opened.notebookId, title, origin });
    }
  };
  onMount(async () => {
    try {
      const page = await props.load();
      // Someone else's notebook runs only once the person has seen what it is and chosen.
      if (page.request.origin.kind === 'shared') setState({ kind: 'confirm', page });
      else await start(page, false);
    } catch (error) {
      fail(error);
    }
  });
  let events: EventSource | undefined;
  let sync: DevSync | undefined;
  /**
   * `brook dev`: the file's new text replaces the page's, and the page's edits
   * are written to the file (src/client/dev-sync.ts), unless the server cannot
   * write this notebook (an .ipynb): then the file simply wins, as before.
   */
  const connectDev = (dev: NonNullable<AppConfig['dev']>, target: Session): DevFile | undefined => {
    events = new EventSource(dev.events);
    if (!dev.save || !dev.token) {
      events.onmessage = (event: MessageEvent<string>) => target.replaceSource(event.data);
      return undefined;
    }
    const [state, setSyncState] = createSignal<DevSyncState>({ kind: 'saved' });
    const current = new DevSync({ session: target, save: saveOverHttp(dev.save, dev.token), onState: setSyncState });
    sync = current;
    events.onmessage = (event: MessageEvent<string>) => current.fileChanged(event.data);
    addEventListener('beforeunload', warnUnsaved);
    return {
      name: dev.file ?? 'the notebook file',
      state,
      keepMine: () => void current.keepMine(),
      takeFile: () => current.takeFile(),
      retry: () => current.retry(),
    };
  };
  // Edits not in the file yet would be lost by a reload (brook dev opens the file, not a draft).
  const warnUnsaved = (event: BeforeUnloadEvent) => {
    if (sync?.unsaved) event.preventDefault();
  };
  onCleanup(() => {
    disposed = true;
    events?.close();
    sync?.dispose();
    removeEventListener('beforeunload', warnUnsaved);
    session?.dispose();
  });
  return (
    <Switch>
      <Match when={state().kind === 'loading'}>
        <LoadingSkeleton />
      </Match>
      <Match when={state().kind === 'confirm' && (state() as Extract<PageState, { kind: 'confirm' }>)}>
        {(confirm) => (
          <TrustPrompt
            source={confirm().page.request.source}
            inputs={confirm().page.request.inputs}
            builtEngines={props.builtEngines}
            onChoose={(choice) => void start(confirm().page, choice.blockNetwork).catch(fail)}
          />
        )}
      </Match>
      <Match when={state().kind === 'failed' && (state() as Extract<PageState, { kind: 'failed' }>)}>
        {(failed) => (
          <div class="page-message" role="alert">
            <h1>This notebook could not be opened</h1>
            <p>{failed().message}</p>
            {props.studio && (
              <a class="button button-primary" href="#/">
                Back to the studio
              </a>
            )}
            {/* A built app opened through a broken link (`#/s/…`): its own notebook is one click away. */}
            {!props.studio && location.hash && (
              <a class="button button-primary" href={location.pathname + location.search}>
                Open this app
              </a>
            )}
          </div>
        )}
      </Match>
      <Match when={state().kind === 'open' && (state() as Extract<PageState, { kind: 'open' }>)}>
        {(open) => (
          <NotebookShell
            session={open().session}
            studio={props.studio}
            initialMode={props.initialMode}
            fallbackTitle={open().page.title}
            networkBlocked={open().networkBlocked}
            devFile={open().devFile}
            openingNotices={(open().page.messages ?? []).map((message, i) => ({ id: `opening-${i}`, level: 'warning', message }))}
            onOpenNotebook={props.onOpenNotebook}
          />
        )}
      </Match>
    </Switch>
  );
}

/** Placeholder shaped like the page it becomes. */
function LoadingSkeleton() {
  return (
    <div class="notebook-page" aria-busy="true">
      <header class="app-header">
        <div class="header-left">
          <span class="skeleton skeleton-title" />
        </div>
      </header>
      <div class="notebook-body">
        <main class="notebook-main mode-app">
          <div class="skeleton skeleton-h1" />
          <div class="skeleton skeleton-line" />
          <div class="skeleton skeleton-line short" />
          <div class="skeleton skeleton-block" />
        </main>
      </div>
      <span class="sr-only" role="status">Loading notebook…</span>
    </div>
  );
}
