import { useEffect, useState } from 'preact/hooks';
import { Link } from 'wouter-preact';
import type { CancelResult, DiffResponse, IterationView, RunDetail } from '../../../src/server/api-types.ts';
import { describeFailure, postJson } from '../api/client.ts';
import { useResource } from '../api/live.ts';
import { GateChips, GuardFindings } from '../components/gates.tsx';
import { LiveLog } from '../components/live-log.tsx';
import { Card, Empty, ErrorNotice, PageHead, Skeleton, StatusBadge } from '../components/ui.tsx';
import { DiffView } from '../diff/diff-view.tsx';
import { ago, clock, duration, money, plural, shortSha, tokens } from '../format.ts';
import { useCanChange } from '../session.ts';

function IterationItem(props: { iteration: IterationView; onShowDiff: (n: number) => void; selected: boolean }) {
  const it = props.iteration;
  const tone =
    it.status === 'running' ? 'info' : it.checkVerdict === 'passed' ? 'ok' : it.checkVerdict === 'failed' ? 'bad' : '';
  const totalTokens =
    it.usage.inputTokens + it.usage.outputTokens + it.usage.cacheReadTokens + it.usage.cacheWriteTokens;
  return (
    <li class="tl-item" data-testid="iteration" data-iteration={it.number} data-verdict={it.checkVerdict ?? it.status}>
      <span class={`tl-dot ${tone}`}>{it.number}</span>
      <div class="tl-head">
        <h3>Iteration {it.number}</h3>
        {it.status === 'running' ? (
          <StatusBadge status="running" label="agent working" />
        ) : it.checkVerdict ? (
          <StatusBadge
            status={it.checkVerdict}
            label={it.checkVerdict === 'passed' ? 'gates passed' : 'gates failed'}
          />
        ) : (
          <StatusBadge status="skipped" label={it.agent.status ?? 'not judged'} />
        )}
        <span class="row-meta">
          {it.status === 'finished' && <span>{duration(it.durationMs)}</span>}
          {it.filesChanged !== null && (
            <span>
              {plural(it.filesChanged, 'file')} <span class="adds">+{it.insertions ?? 0}</span>{' '}
              <span class="dels">−{it.deletions ?? 0}</span>
            </span>
          )}
          {it.status === 'finished' && (
            <>
              <span
                title={`${it.usage.inputTokens} in · ${it.usage.outputTokens} out · ${it.usage.cacheReadTokens} cache read`}
              >
                {tokens(totalTokens)} tokens
              </span>
              <span>{money(it.usage.costUsd)}</span>
            </>
          )}
          {it.commitSha && <span class="mono">{shortSha(it.commitSha)}</span>}
        </span>
        <span class="spacer" />
        {it.commitSha && (
          <button
            type="button"
            class={`btn small${props.selected ? ' primary' : ''}`}
            onClick={() => props.onShowDiff(it.number)}
            data-testid="show-iteration-diff"
          >
            Diff
          </button>
        )}
      </div>
      <div class="tl-body">
        {it.reviewerFeedback && (
          <div class="notice" data-testid="reviewer-feedback">
            <strong>Reviewer asked for changes</strong>
            <pre>{it.reviewerFeedback}</pre>
          </div>
        )}
        {it.agent.reason && it.agent.status !== 'finished' && (
          <div class="notice warn">
            Agent turn {it.agent.status}
            {it.agent.exitCode !== null ? ` (exit ${it.agent.exitCode})` : ''}: {it.agent.reason}
          </div>
        )}
        {it.status === 'finished' && <GateChips gates={it.gates} />}
        <GuardFindings findings={it.guardFindings} reverted={it.guardReverted} />
        {it.feedbackSent && (
          <details class="fold" data-testid="feedback-sent">
            <summary>Feedback the agent received next ({it.feedbackSent.length.toLocaleString()} chars)</summary>
            <pre>{it.feedbackSent}</pre>
          </details>
        )}
      </div>
    </li>
  );
}

function CancelButton({ runId }: { runId: string }) {
  const [state, setState] = useState<{ busy: boolean; message: string | null }>({ busy: false, message: null });
  const cancel = () => {
    if (!window.confirm('Cancel this run? The agent is stopped; its commits stay on the branch.')) return;
    setState({ busy: true, message: null });
    postJson<CancelResult>(`/api/runs/${encodeURIComponent(runId)}/cancel`)
      .then((result) =>
        setState({ busy: false, message: result.status === 'cancelling' ? 'Cancelling…' : 'Cancelled.' }),
      )
      .catch((error) => setState({ busy: false, message: describeFailure(error) }));
  };
  return (
    <>
      {state.message && <span class="muted">{state.message}</span>}
      <button type="button" class="btn danger" onClick={cancel} disabled={state.busy} data-testid="cancel-run">
        Cancel run
      </button>
    </>
  );
}

/** The time, ticking each second while `ticking` (a running run's clock; the server is not asked). */
function useNow(ticking: boolean): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (!ticking) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [ticking]);
  return ticking ? now : Date.now();
}

export function RunPage({ id }: { id: string }) {
  const detail = useResource<RunDetail>(
    `/api/runs/${encodeURIComponent(id)}`,
    ['runs', 'iterations', 'review', 'usage'],
    {
      runId: id,
    },
  );
  const [diffIteration, setDiffIteration] = useState<number | null>(null);
  const diffPath = `/api/runs/${encodeURIComponent(id)}/diff${diffIteration === null ? '' : `?iteration=${diffIteration}`}`;
  const diff = useResource<DiffResponse>(diffPath, ['iterations'], { runId: id });
  const canChange = useCanChange();
  const data = detail.data;
  const run = data?.run;
  const now = useNow(run?.status === 'running');

  if (detail.error && !data) {
    return (
      <>
        <PageHead title="Run" crumbs={<Link href="/">Overview</Link>} />
        <ErrorNotice error={detail.error} />
      </>
    );
  }

  const totalTokens = data
    ? data.usage.inputTokens + data.usage.outputTokens + data.usage.cacheReadTokens + data.usage.cacheWriteTokens
    : 0;
  const latestReview = data?.reviews.at(-1);

  return (
    <>
      <PageHead
        crumbs={
          <>
            <Link href="/">Overview</Link> / <span class="mono">{id}</span>
          </>
        }
        title={run ? run.goal : <Skeleton width="min(420px, 80vw)" height={30} />}
        sub={
          run ? (
            <span class="row-meta" style={{ fontSize: '13px' }}>
              <StatusBadge status={run.status} />
              <span>
                {run.agent}
                {run.model ? ` · ${run.model}` : ''}
              </span>
              <span class="mono">{run.branch}</span>
              <span>
                from <span class="mono">{run.baseRef}</span>
              </span>
              <span>started {ago(run.createdAt)}</span>
            </span>
          ) : (
            <Skeleton width="300px" height={22} />
          )
        }
        actions={
          <>
            {latestReview?.status === 'waiting' && (
              <Link href={`/review/${id}`} class="btn primary">
                Review this change
              </Link>
            )}
            {data?.cancellable && canChange && <CancelButton runId={id} />}
          </>
        }
      />
      {run?.reason && run.status !== 'running' && run.status !== 'done' && (
        <div class="notice bad" style={{ marginBottom: '16px' }} data-testid="run-reason">
          {run.reason}
        </div>
      )}

      <div class="stats">
        <div class="card stat">
          <div class="stat-label">Iterations</div>
          <div class="stat-value" data-testid="iteration-count">
            {data ? data.iterations.length : '–'}
          </div>
          <div class="stat-note">
            {run?.lastVerdict
              ? `last: gates ${run.lastVerdict}`
              : run?.status === 'running'
                ? 'first turn under way'
                : ' '}
          </div>
        </div>
        <div class="card stat">
          <div class="stat-label">Cost</div>
          <div class="stat-value">{data ? money(data.usage.costUsd) : '–'}</div>
          <div class="stat-note">{data ? `${tokens(totalTokens)} tokens · ${data.usage.turns} turns` : ' '}</div>
        </div>
        <div class="card stat">
          <div class="stat-label">Duration</div>
          <div class="stat-value">
            {run ? duration((run.finishedAt ? Date.parse(run.finishedAt) : now) - Date.parse(run.createdAt)) : '–'}
          </div>
          <div class="stat-note">
            {run ? (run.finishedAt ? `finished ${clock(run.finishedAt)}` : 'still running') : ' '}
          </div>
        </div>
        <div class="card stat">
          <div class="stat-label">Review</div>
          <div class="stat-value">{latestReview ? <StatusBadge status={latestReview.status} /> : '—'}</div>
          <div class="stat-note">
            {latestReview
              ? `round ${latestReview.round} · est. ${latestReview.reviewMinutes} min`
              : 'not queued for review'}
          </div>
        </div>
      </div>

      {run && run.acceptance.length > 0 && (
        <div class="notice" style={{ marginBottom: '16px' }}>
          Acceptance:{' '}
          {run.acceptance.map((command) => (
            <code key={command} class="chip" style={{ marginLeft: '6px' }}>
              {command}
            </code>
          ))}
        </div>
      )}

      <div class="grid" style={{ gridTemplateColumns: 'minmax(0, 1fr)' }}>
        <Card title="Iterations" sub="each agent turn, then the gates' verdict on it" testId="timeline">
          {!data ? (
            <Skeleton rows={4} height={18} />
          ) : data.iterations.length === 0 ? (
            <Empty title="No iteration yet">The agent's first turn is starting.</Empty>
          ) : (
            <ol class="timeline">
              {data.iterations.map((iteration) => (
                <IterationItem
                  key={iteration.number}
                  iteration={iteration}
                  selected={diffIteration === iteration.number}
                  onShowDiff={(n) => setDiffIteration(n === diffIteration ? null : n)}
                />
              ))}
            </ol>
          )}
        </Card>

        {run?.status === 'running' && (
          <Card title="Agent log" sub="live" testId="log-card">
            <LiveLog runId={id} live />
          </Card>
        )}

        <Card
          title={diffIteration === null ? 'The whole change' : `Iteration ${diffIteration}`}
          sub={diff.data ? `${shortSha(diff.data.from)} → ${shortSha(diff.data.to)}` : ' '}
          pad={false}
          actions={
            data && data.iterations.length > 0 ? (
              <select
                class="select"
                style={{ width: 'auto' }}
                value={diffIteration ?? ''}
                onChange={(event) => {
                  const value = event.currentTarget.value;
                  setDiffIteration(value === '' ? null : Number(value));
                }}
                aria-label="Which diff"
                data-testid="diff-select"
              >
                <option value="">Whole change</option>
                {data.iterations
                  .filter((iteration) => iteration.commitSha)
                  .map((iteration) => (
                    <option key={iteration.number} value={iteration.number}>
                      Iteration {iteration.number}
                    </option>
                  ))}
              </select>
            ) : undefined
          }
        >
          <ErrorNotice error={diff.error} />
          {diff.data ? (
            <DiffView patch={diff.data.patch} truncated={diff.data.truncated} />
          ) : diff.error ? null : (
            <div class="card-body">
              <Skeleton rows={6} />
            </div>
          )}
        </Card>
      </div>
    </>
  );
}
