import type { ComponentChildren } from 'preact';
import { Link, Route, Switch, useLocation } from 'wouter-preact';
import type { ApprovalList, Overview, SessionInfo } from '../../src/server/api-types.ts';
import { useLiveConnected, useResource } from './api/live.ts';
import { ApprovalsPage } from './pages/approvals.tsx';
import { GymPage } from './pages/gym.tsx';
import { OverviewPage } from './pages/overview.tsx';
import { ReviewPage } from './pages/review.tsx';
import { RunPage } from './pages/run.tsx';
import { TasksPage } from './pages/tasks.tsx';
import { UsagePage } from './pages/usage.tsx';
import { SessionContext } from './session.ts';
import { useTheme } from './theme.ts';

function NavLink(props: { href: string; children: ComponentChildren; count?: number; exact?: boolean }) {
  const [location] = useLocation();
  const active = props.exact
    ? location === props.href
    : location === props.href || location.startsWith(`${props.href}/`);
  return (
    <Link href={props.href} class={`nav-link${active ? ' active' : ''}`} aria-current={active ? 'page' : undefined}>
      <span>{props.children}</span>
      {props.count !== undefined && props.count > 0 && <span class="nav-count">{props.count}</span>}
    </Link>
  );
}

function Mark() {
  return (
    <svg class="brand-mark" viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="8" fill="var(--accent)" />
      <path d="M8 11h16M8 16h11M8 21h6" stroke="var(--surface)" stroke-width="3" stroke-linecap="round" />
    </svg>
  );
}

function ThemeToggle() {
  const [theme, toggle] = useTheme();
  return (
    <button
      type="button"
      class="btn ghost small"
      onClick={toggle}
      title="Switch light / dark"
      data-testid="theme-toggle"
    >
      {theme === 'dark' ? '☀ Light' : '☾ Dark'}
    </button>
  );
}

export function App() {
  const overview = useResource<Overview>('/api/overview', ['runs', 'tasks', 'review']);
  const session = useResource<SessionInfo>('/api/session', []);
  const approvals = useResource<ApprovalList>('/api/approvals', ['workflows']);
  const live = useLiveConnected();
  const counts = overview.data;
  return (
    <SessionContext.Provider value={session.data ?? null}>
      <div class="shell">
        <nav class="nav" aria-label="Main">
          <Link href="/" class="brand">
            <Mark />
            <span>Sluice</span>
          </Link>
          <NavLink href="/" exact count={counts?.running.length}>
            Overview
          </NavLink>
          <NavLink href="/review" count={counts?.inReview.count}>
            Review
          </NavLink>
          <NavLink href="/approvals" count={approvals.data?.approvals.filter((entry) => !entry.expired).length}>
            Approvals
          </NavLink>
          <NavLink href="/tasks" count={counts?.waiting.length}>
            Tasks
          </NavLink>
          <NavLink href="/usage">Usage</NavLink>
          <NavLink href="/gym">Gym</NavLink>
          <div class="nav-foot">
            <span class={`live-dot${live ? ' on' : ''}`} data-testid="live">
              {live ? 'Live' : 'Connecting…'}
            </span>
            <ThemeToggle />
          </div>
        </nav>
        <main class="main">
          {session.data && !session.data.canChange && (
            <div class="notice warn read-only" role="status" data-testid="read-only">
              Read-only: this browser has no token. Open the address <code>sluice serve</code> printed to approve,
              cancel or add tasks.
            </div>
          )}
          <Switch>
            <Route path="/" component={OverviewPage} />
            <Route path="/runs/:id">{(params) => <RunPage id={params.id} />}</Route>
            <Route path="/review">{() => <ReviewPage runId={null} />}</Route>
            <Route path="/review/:runId">{(params) => <ReviewPage runId={params.runId} />}</Route>
            <Route path="/approvals" component={ApprovalsPage} />
            <Route path="/tasks" component={TasksPage} />
            <Route path="/usage" component={UsagePage} />
            <Route path="/gym" component={GymPage} />
            <Route>
              <div class="empty">
                <strong>Nothing here</strong>
                <Link href="/">Back to the overview</Link>
              </div>
            </Route>
          </Switch>
        </main>
      </div>
    </SessionContext.Provider>
  );
}
