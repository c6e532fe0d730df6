/**
 * The page entry (mounted from `index.html`): reads the page's config and
 * renders the studio or the built app.
 */
import { render } from 'solid-js/web';
import { readAppConfig } from '../client/app-config.ts';
import { openSession } from '../client/session.ts';
import { AppRoot } from './app-root.tsx';
import './styles.css';

const root = document.getElementById('root');
if (root) {
  root.textContent = '';
  render(() => <AppRoot config={readAppConfig(document)} open={openSession} />, root);
}
