import { Match, Show, Switch, createSignal, onCleanup } from 'solid-js';
import type { AppConfig } from '../client/app-config.ts';
import { BuiltApp } from './built-pages.tsx';
import { formatRoute, parseRoute, type Route } from './hash-route.ts';
import { readNotebookFile } from './notebook-files.ts';
import { NotebookPage, type SessionOpener } from './notebook-page.tsx';
import { exampleRequest, newRequest, recentRequest, rememberOpenedFile, sharedRequest, type PageRequest } from './open-requests.ts';
import { StudioHome } from './studio-home.tsx';

/**
 * The whole page. A built app (`mode: 'app'`) shows its one notebook; the
 * studio routes on the URL hash between the home page and open notebooks.
 */
export function AppRoot(props: { config: AppConfig; open: SessionOpener; onShown?: () => void }) {
  return (
    <Show when={props.config.mode === 'studio'} fallback={<BuiltApp config={props.config} open={props.open} onShown={props.onShown} />}>
      <Studio config={props.config} open={props.open} />
    </Show>
  );
}

function Studio(props: { config: AppConfig; open: SessionOpener }) {
  const [route, setRoute] = createSignal<Route>(normalize(parseRoute(location.hash)));
  // Bumped to re-open the same route (a file opened again under the same id).
  const [visit, setVisit] = createSignal(0);
  const [openError, setOpenError] = createSignal<string>();
  const onHash = () => setRoute(normalize(parseRoute(location.hash)));
  window.addEventListener('hashchange', onHash);
  onCleanup(() => window.removeEventListener('hashchange', onHash));

  const openFile = async (file: File) => {
    try {
      setOpenError(undefined);
      const id = await rememberOpenedFile(await readNotebookFile(file));
      const hash = formatRoute({ kind: 'recent', id });
      if (location.hash === hash) setVisit((n) => n + 1);
      else location.hash = hash;
    } catch (error) {
      setOpenError(`Could not open ${file.name}: ${error instanceof Error ? error.message : String(error)}`);
      if (route().kind !== 'home') location.hash = '#/';
    }
  };

  const page = (load: () => Promise<PageRequest>, initialMode: 'app' | 'notebook') => (
    <NotebookPage load={load} open={props.open} studio initialMode={initialMode} onOpenNotebook={(f) => void openFile(f)} />
  );

  // Keyed on the route and visit so every navigation mounts a fresh page (and disposes the old session).
  const key = () => `${formatRoute(route())}|${visit()}`;
  return (
    <Show when={key()} keyed>
      {(_key) => {
        const current = route();
        return (
          <Switch>
            <Match when={current.kind === 'home'}>
              <StudioHome config={props.config} onOpenFile={(f) => void openFile(f)} openError={openError()} />
            </Match>
            <Match when={current.kind === 'example' && current}>
              {(r) => page(() => exampleRequest(props.config, r().path), 'app')}
            </Match>
            <Match when={current.kind === 'new' && current}>{(r) => page(async () => newRequest(r().id ?? ''), 'notebook')}</Match>
            <Match when={current.kind === 'shared' && current}>{(r) => page(async () => sharedRequest(r().data), 'app')}</Match>
            <Match when={current.kind === 'recent' && current}>
              {(r) => page(() => recentRequest(props.config, r().id), r().id.startsWith('new:') ? 'notebook' : 'app')}
            </Match>
          </Switch>
        );
      }}
    </Show>
  );
}

/** `#/new` gets an id at once (replacing the history entry) so a reload reopens the same draft. */
function normalize(route: Route): Route {
  if (route.kind !== 'new' || route.id) return route;
  const withId: Route = { kind: 'new', id: crypto.randomUUID().slice(0, 8) };
  history.replaceState(null, '', formatRoute(withId));
  return withId;
}
