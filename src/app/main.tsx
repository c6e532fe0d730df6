/**
 * The page entry (mounted from `index.html`): reads the page's config and
 * renders the studio or the built app.
 */
import { render } from 'solid-js/web';
import { readAppConfig } from '../client/app-config.ts';
import { openSession } from '../client/session.ts';
import { preStartDataWorker } from '../client/workers.ts';
import { openStorageEarly } from '../store/backend.ts';
import { AppRoot } from './app-root.tsx';
import './styles.css';

// User Timing marks: where a visit's first paint goes (read by `npm run bench`).
performance.mark('brook:app-start');
openStorageEarly();
const config = readAppConfig(document);
// A built app always opens its notebook: DuckDB starts now, not once the session has loaded its saved state.
if (config.mode === 'app') preStartDataWorker();
const root = document.getElementById('root');
if (root) {
  // A built page carries its snapshot as plain HTML (src/cli/static-html.ts). It stays on screen
  // until the app has painted, and is then swapped for the app in one task: no flash in between.
  const staticView = document.getElementById('brook-static');
  let mount = root;
  if (staticView) {
    mount = document.createElement('div');
    mount.hidden = true;
    root.append(mount);
  } else {
    root.textContent = '';
  }
  const shown = () => {
    if (!staticView?.isConnected) return;
    root.replaceChildren(mount);
    mount.hidden = false;
    mount.style.display = 'contents';
  };
  render(() => <AppRoot config={config} open={openSession} onShown={shown} />, mount);
}
