/**
 * Opening another page of a built site in place. The page's HTML is fetched
 * and read for its config and snapshot (the same build wrote it, on the same
 * origin; nothing in it runs), the URL changes with `pushState`, and the app
 * swaps notebooks while the site's data worker keeps running
 * (src/client/site-data.ts), so DuckDB starts once per visit to the site.
 */
import { readAppConfig, type AppConfig, type SiteConfig } from '../client/app-config.ts';

/** A page of the site: where it is, its config and its document (snapshot, title). */
export interface SitePage {
  url: URL;
  config: AppConfig;
  doc: Document;
}

/** The page of `site` that `event` (a click) opens, when it may open in place: a plain click on a link to one of its pages. */
export function pageOfClick(event: MouseEvent, site: SiteConfig): URL | undefined {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return undefined;
  const anchor = event.target instanceof Element ? event.target.closest('a') : null;
  if (!anchor?.href || (anchor.target && anchor.target !== '_self') || anchor.hasAttribute('download')) return undefined;
  const url = new URL(anchor.href);
  // A route in the hash (`#/s/…`, a share link) is not the page itself: the browser opens it.
  if (url.hash.startsWith('#/')) return undefined;
  const here = new URL(location.href);
  // The same page again, or a jump within it, is the browser's to do.
  if (url.pathname === here.pathname) return undefined;
  return isSitePage(url, site) ? url : undefined;
}

/** Whether `url` is one of the site's pages (the listing page is not: it has no notebook). */
export function isSitePage(url: URL, site: SiteConfig): boolean {
  return site.pages.some((page) => {
    const target = new URL(page.href, location.href);
    return target.origin === url.origin && target.pathname === url.pathname;
  });
}

/** Fetches and reads a page of the site; throws when it is not one (the caller then navigates the ordinary way). */
export async function fetchSitePage(url: URL): Promise<SitePage> {
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const doc = new DOMParser().parseFromString(await response.text(), 'text/html');
  const config = readAppConfig(doc);
  if (config.mode !== 'app' || !config.site) throw new Error(`${url.pathname} is not a page of this site`);
  return { url, config, doc };
}
