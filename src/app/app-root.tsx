import { Match, Show, Switch, createSignal, onCleanup } from 'solid-js';
import type { AppConfig, SiteConfig } from '../client/app-config.ts';
import { SiteData } from '../client/site-data.ts';
import { formatRoute, parseRoute, type Route } from './hash-route.ts';
import { readNotebookFile } from './notebook-files.ts';
import { NotebookPage, type SessionOpener } from './notebook-page.tsx';
import {
  builtRequest,
  exampleRequest,
  newRequest,
  recentRequest,
  rememberOpenedFile,
  sharedRequest,
  type PageRequest,
} from './open-requests.ts';
import { SiteNav } from './site-nav.tsx';
import { fetchSitePage, isSitePage, pageOfClick, type SitePage } from './site-navigation.ts';
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

/** A built app shows its notebook, or the notebook a share link of it carries (`#/s/…`). */
function BuiltApp(props: { config: AppConfig; open: SessionOpener; onShown?: () => void }) {
  const route = parseRoute(location.hash);
  const site = props.config.site;
  // A share link shows someone's notebook, not this site's page: no site navigation around it.
  if (route.kind === 'shared' || !site) {
    return (
      <NotebookPage
        load={async () => (route.kind === 'shared' ? sharedRequest(route.data) : builtRequest(props.config))}
        open={props.open}
        studio={false}
        initialMode="app"
        dev={props.config.dev}
        onShown={props.onShown}
        builtEngines={props.config.engines ?? {}}
      />
    );
  }
  return <SitePages config={props.config} site={site} open={props.open} onShown={props.onShown} />;
}

/**
 * A page of a multipage site. Links to the site's other pages open them in
 * place (src/app/site-navigation.ts): the notebook is swapped, the site's
 * data worker (DuckDB and its memo) stays. Back and forward do the same; a
 * page that cannot be read that way is opened the ordinary way.
 */
function SitePages(props: { config: AppConfig; site: SiteConfig; open: SessionOpener; onShown?: () => void }) {
  const [page, setPage] = createSignal<SitePage>({ url: new URL(location.href), config: props.config, doc: document });
  const data = new SiteData(props.open);
  /** Bumped by every navigation: a slower fetch of an earlier one is dropped. */
  let navigation = 0;
  const go = async (url: URL, push: boolean) => {
    const mine = ++navigation;
    try {
      const next = await fetchSitePage(url);
      if (mine !== navigation) return;
      if (push) {
        // Where the reader was on this page, for Back (the browser's own restoring is off: it would scroll the old page).
        history.replaceState({ ...(history.state as object | null), brookScroll: window.scrollY }, '');
        history.pushState(null, '', url);
      }
      document.title = next.doc.title;
      setPage(next);
      // A new page starts at its top; Back and Forward return to where the reader was on it.
      window.scrollTo(0, push ? 0 : Number((history.state as { brookScroll?: number } | null)?.brookScroll ?? 0));
      // The link that had the focus was replaced with the bar: the new page's own link takes it, and says "current page".
      queueMicrotask(() => document.querySelector<HTMLElement>('.site-nav [aria-current="page"]')?.focus({ preventScroll: true }));
    } catch {
      if (mine === navigation) location.assign(url);
    }
  };
  const onClick = (event: MouseEvent) => {
    const url = pageOfClick(event, page().config.site ?? props.site);
    if (!url) return;
    event.preventDefault();
    void go(url, true);
  };
  const onPopState = () => {
    const url = new URL(location.href);
    // Whatever happens next, a navigation still fetching is out of date (Back, then Forward at once).
    if (url.pathname === page().url.pathname) {
      navigation++;
      return;
    }
    if (isSitePage(url, page().config.site ?? props.site)) void go(url, false);
    else location.reload();
  };
  document.addEventListener('click', onClick);
  window.addEventListener('popstate', onPopState);
  history.scrollRestoration = 'manual';
  onCleanup(() => {
    document.removeEventListener('click', onClick);
    window.removeEventListener('popstate', onPopState);
    history.scrollRestoration = 'auto';
    data.dispose();
  });
  return (
    <Show when={page()} keyed>
      {(current) => (
        <>
          <SiteNav site={current.config.site ?? props.site} />
          <NotebookPage
            load={() => builtRequest(current.config, current)}
            open={data.open}
            studio={false}
            initialMode="app"
            dev={current.config.dev}
            onShown={props.onShown}
            builtEngines={current.config.engines ?? {}}
          />
        </>
      )}
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
