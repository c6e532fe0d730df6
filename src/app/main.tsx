/**
 * The page entry (mounted from `index.html`): reads the page's config and
 * renders the studio or the built app.
 */
import { render } from 'solid-js/web';
import { readAppConfig } from '../client/app-config.ts';
import { openSession } from '../client/session.ts';
import { openStorageEarly } from '../store/backend.ts';
import { AppRoot } from './app-root.tsx';
import './styles.css';

// User Timing marks: where a visit's first paint goes (read by `npm run bench`).
performance.mark('brook:app-start');
openStorageEarly();
const root = document.getElementById('root');
if (root) {
  root.textContent = '';
  render(() => <AppRoot config={readAppConfig(document)} open={openSession} />, root);
}
