import { render } from 'preact';
import { apiTokenQueryParam } from '../../src/server/api-types.ts';
import { App } from './app.tsx';
import { applyInitialTheme } from './theme.ts';
import './styles.css';

applyInitialTheme();

// The server turned ?token= into a same-origin cookie when it served this page: take the token out of
// the address bar so it is not bookmarked, shared in a screenshot, or kept in history.
const url = new URL(window.location.href);
if (url.searchParams.has(apiTokenQueryParam)) {
  url.searchParams.delete(apiTokenQueryParam);
  window.history.replaceState(null, '', `${url.pathname}${url.search}${url.hash}`);
}

const root = document.getElementById('app');
if (root) render(<App />, root);
