import { For } from 'solid-js';
import type { SiteConfig } from '../client/app-config.ts';

/**
 * The navigation bar of a multipage site (`brook build <folder>`): the site's
 * title (its listing page) and every page in front-matter `order`. Plain
 * links, which work without JavaScript; with it, a page link opens the page
 * in place on the same DuckDB (site-navigation.ts). Each page keeps its own
 * saved state; the pages share the query memo (docs/deploying.md, "Multipage sites").
 */
export function SiteNav(props: { site: SiteConfig }) {
  return (
    <nav class="site-nav" aria-label={`${props.site.title}: pages`}>
      <a class="site-nav-title" href={props.site.home}>{props.site.title}</a>
      <ul class="site-nav-pages">
        <For each={props.site.pages}>
          {(page) => (
            <li>
              <a href={page.href} aria-current={page.current ? 'page' : undefined} classList={{ 'is-current': page.current }}>
                {page.title}
              </a>
            </li>
          )}
        </For>
      </ul>
    </nav>
  );
}
