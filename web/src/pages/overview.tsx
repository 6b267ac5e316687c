import { useContext } from 'preact/hooks';
import { Link } from 'wouter-preact';
import type { Overview, RunList, TaskView } from '../../../src/server/api-types.ts';
import { useResource } from '../api/live.ts';
import { RunRow } from '../components/run-row.tsx';
import { Card, Empty, ErrorNotice, PageHead, SkeletonRows, Stat, StatusBadge } from '../components/ui.tsx';
import { waitReasonText } from '../components/wait-reason.ts';
import { minutes, money } from '../format.ts';
import { SessionContext } from '../session.ts';

function WaitingRow({ task }: { task: TaskView }) {
  const dispatcher = useContext(SessionContext)?.dispatcherInProcess ?? false;
  return (
    <li class="row" data-testid="waiting-task">
      <div style={{ minWidth: 0 }}>
        <div class="row-title">{task.goal}</div>
        <div class="row-meta">
          <span>{waitReasonText(task, dispatcher)}</span>
        </div>
      </div>
      <div class="row-side">
        {task.priority !== 0 && <span class="chip">p{task.priority}</span>}
        <StatusBadge status={task.status} />
      </div>
    </li>
  );
}

export function OverviewPage() {
  const overview = useResource<Overview>('/api/overview', ['runs', 'tasks', 'review', 'usage', 'iterations']);
  const recent = useResource<RunList>('/api/runs?limit=25', ['runs', 'iterations', 'review']);
  const data = overview.data;
  const reviewLoad = data ? data.review.waitingMinutes + data.review.inFlightMinutes : 0;
  const capacity = data?.review.capacity.minutesPerDay ?? 0;

  return (
    <>
      <PageHead title="Overview" sub="Agents at work, changes waiting for you, and what today cost." />
      <ErrorNotice error={overview.error} />
      <div class="stats" data-testid="stats">
        <Stat
          label="Running"
          value={data ? data.running.length : '–'}
          note={data ? `${data.waiting.length} waiting to start` : ' '}
          testId="stat-running"
        />
        <Stat
          label="In review"
          value={data ? data.inReview.count : '–'}
          note={data ? `≈ ${minutes(data.inReview.calibratedMinutes ?? data.inReview.minutes)} of reading` : ' '}
          testId="stat-review"
        />
        <Stat
          label="Finished today"
          value={data ? `${data.today.done + data.today.landed}` : '–'}
          note={
            data
              ? `${data.today.landed} landed · ${data.today.blocked} blocked${data.today.failed ? ` · ${data.today.failed} failed` : ''}`
              : ' '
          }
          testId="stat-today"
        />
        <Stat
          label="Spend today"
          value={data ? money(data.spend.todayUsd, 2) : '–'}
          note={
            data
              ? data.spend.budgetUsd === null
                ? 'no daily budget set'
                : `of ${money(data.spend.budgetUsd, 2)} budget`
              : ' '
          }
          meter={data?.spend.budgetUsd ? data.spend.todayUsd / data.spend.budgetUsd : data ? null : 0}
          testId="stat-spend"
        />
        <Stat
          label="Review load"
          value={data ? minutes(reviewLoad) : '–'}
          note={data ? `of ${minutes(capacity)}/day (${data.review.capacity.source.replace('-', ' ')})` : ' '}
          meter={data ? (capacity > 0 ? reviewLoad / capacity : null) : 0}
          testId="stat-load"
        />
      </div>

      {data?.review.calibration && (
        <div class="notice" style={{ marginBottom: '16px' }} data-testid="calibration">
          Review estimates: {data.review.calibration.sentence}
        </div>
      )}

      {data?.empty ? (
        <Card>
          <Empty title="No runs yet" command={data.firstCommand}>
            Give an agent a goal; Sluice runs your gates after every turn and shows the change here when it is done.
          </Empty>
        </Card>
      ) : (
        <div class="grid grid-2">
          <Card title="Running" sub="agents at work now" pad={false} testId="running">
            {!data ? (
              <SkeletonRows count={2} />
            ) : data.running.length === 0 ? (
              <Empty title="No agent is running">
                Start one with <code>sluice run "&lt;goal&gt;"</code>, or queue tasks and run <code>sluice work</code>.
              </Empty>
            ) : (
              <div class="list">
                {data.running.map((run) => (
                  <RunRow key={run.id} run={run} />
                ))}
              </div>
            )}
          </Card>
          <Card
            title="Waiting"
            sub="queued tasks and why they wait"
            pad={false}
            testId="waiting"
            actions={
              <Link href="/tasks" class="btn small">
                Tasks
              </Link>
            }
          >
            {!data ? (
              <SkeletonRows count={2} />
            ) : data.waiting.length === 0 ? (
              <Empty title="Nothing queued">
                Add a task on the <Link href="/tasks">Tasks</Link> page or with <code>sluice add "&lt;goal&gt;"</code>.
              </Empty>
            ) : (
              <ul class="list">
                {data.waiting.map((task) => (
                  <WaitingRow key={task.id} task={task} />
                ))}
              </ul>
            )}
          </Card>
        </div>
      )}

      {!data?.empty && (
        <div class="section">
          <Card
            title="Recent runs"
            pad={false}
            testId="recent-runs"
            actions={
              data && data.inReview.count > 0 ? (
                <Link href="/review" class="btn small primary">
                  Review {data.inReview.count}
                </Link>
              ) : undefined
            }
          >
            <ErrorNotice error={recent.error} />
            {!recent.data ? (
              <SkeletonRows count={4} />
            ) : recent.data.runs.length === 0 ? (
              <Empty title="No runs yet" command={'sluice run "<goal>"'} />
            ) : (
              <div class="list">
                {recent.data.runs.map((run) => (
                  <RunRow key={run.id} run={run} />
                ))}
              </div>
            )}
          </Card>
        </div>
      )}
    </>
  );
}
