/**
 * The pages of a built app: its one notebook (or the notebook a share link
 * carries), and a multipage site's pages, opened in place on one data worker.
 */
import { Show, createSignal, onCleanup } from 'solid-js';
import type { AppConfig, SiteConfig } from '../client/app-config.ts';
import { SiteData } from '../client/site-data.ts';
import { parseRoute } from './hash-route.ts';
import { NotebookPage, type SessionOpener } from './notebook-page.tsx';
import { builtRequest, sharedRequest, type PageRequest } from './open-requests.ts';
import { SiteNav } from './site-nav.tsx';
import { fetchSitePage, isSitePage, pageOfClick, type SitePage } from './site-navigation.ts';

/** A notebook page of a built app: app mode, no studio, the build's `brook dev` link and engines. */
function BuiltNotebookPage(props: { config: AppConfig; load: () => Promise<PageRequest>; open: SessionOpener; onShown?: () => void }) {
  return (
    <NotebookPage
      load={props.load}
      open={props.open}
      studio={false}
      initialMode="app"
      dev={props.config.dev}
      onShown={props.onShown}
      builtEngines={props.config.engines ?? {}}
    />
  );
}

/** A built app shows its notebook, or the notebook a share link of it carries (`#/s/…`). */
export function BuiltApp(props: { config: AppConfig; open: SessionOpener; onShown?: () => void }) {
  const route = parseRoute(location.hash);
  const site = props.config.site;
  // A share link shows someone's notebook, not this site's page: no site navigation around it.
  if (route.kind === 'shared' || !site) {
    return (
      <BuiltNotebookPage
        config={props.config}
        load={async () => (route.kind === 'shared' ? sharedRequest(route.data) : builtRequest(props.config))}
        open={props.open}
        onShown={props.onShown}
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
          <BuiltNotebookPage config={current.config} load={() => builtRequest(current.config, current)} open={data.open} onShown={props.onShown} />
        </>
      )}
    </Show>
  );
}
