import type { ComponentChildren } from 'preact';
import { useContext, useState } from 'preact/hooks';
import { Link } from 'wouter-preact';
import type { AddTaskRequest, TaskList, TaskView } from '../../../src/server/api-types.ts';
import { describeFailure, postJson } from '../api/client.ts';
import { useResource } from '../api/live.ts';
import { Card, Empty, ErrorNotice, PageHead, SkeletonRows, StatusBadge } from '../components/ui.tsx';
import { waitReasonText } from '../components/wait-reason.ts';
import { ago } from '../format.ts';
import { SessionContext, useCanChange } from '../session.ts';

function AddTaskForm({ onAdded }: { onAdded: () => void }) {
  const [goal, setGoal] = useState('');
  const [accept, setAccept] = useState('');
  const [priority, setPriority] = useState('0');
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const canChange = useCanChange();
  const submit = (event: Event) => {
    event.preventDefault();
    if (!goal.trim()) return;
    const body: AddTaskRequest = {
      goal: goal.trim(),
      accept: accept
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean),
      priority: Number(priority) || 0,
    };
    setState({ busy: true, error: null });
    postJson<TaskView>('/api/tasks', body)
      .then(() => {
        setGoal('');
        setAccept('');
        setPriority('0');
        setState({ busy: false, error: null });
        onAdded();
      })
      .catch((error) => setState({ busy: false, error: describeFailure(error) }));
  };
  return (
    <form onSubmit={submit} data-testid="add-task">
      <div class="field">
        <label for="task-goal">Goal</label>
        <textarea
          id="task-goal"
          class="textarea"
          rows={3}
          value={goal}
          onInput={(event) => setGoal(event.currentTarget.value)}
          placeholder="Add a --json flag to `shop export` with a test"
        />
      </div>
      <div class="field">
        <label for="task-accept">Acceptance commands</label>
        <textarea
          id="task-accept"
          class="textarea mono"
          rows={2}
          value={accept}
          onInput={(event) => setAccept(event.currentTarget.value)}
          placeholder="npm test -- export"
        />
        <span class="hint">One per line; each must pass before the change counts as done. Optional.</span>
      </div>
      <div class="field">
        <label for="task-priority">Priority</label>
        <input
          id="task-priority"
          class="input"
          type="number"
          step={1}
          value={priority}
          onInput={(event) => setPriority(event.currentTarget.value)}
        />
        <span class="hint">Higher starts first.</span>
      </div>
      {state.error && (
        <div class="notice bad" style={{ marginBottom: '12px' }}>
          {state.error}
        </div>
      )}
      <button type="submit" class="btn primary" disabled={!canChange || state.busy || !goal.trim()}>
        {state.busy ? 'Adding…' : 'Add to queue'}
      </button>
    </form>
  );
}

function TaskRow(props: {
  task: TaskView;
  position: number | null;
  queued: number;
  onMove: (step: number) => void;
  onCancel: () => void;
}) {
  const { task } = props;
  const canChange = useCanChange();
  const dispatcher = useContext(SessionContext)?.dispatcherInProcess ?? false;
  const isQueued = task.status === 'queued';
  return (
    <li class="row" data-testid="task" data-task-id={task.id} data-status={task.status}>
      <div style={{ minWidth: 0 }}>
        <div class="row-title">{task.goal}</div>
        <div class="row-meta">
          <span class="mono">{task.id}</span>
          {isQueued && <span data-testid="wait-reason">{waitReasonText(task, dispatcher)}</span>}
          {!isQueued && task.waitReason && <span>{task.waitReason}</span>}
          {task.accept.length > 0 && <span>{task.accept.length} acceptance</span>}
          {task.runId && <Link href={`/runs/${task.runId}`}>run {task.runId}</Link>}
          <span>{ago(task.updatedAt)}</span>
        </div>
      </div>
      <div class="row-side">
        {task.priority !== 0 && <span class="chip">p{task.priority}</span>}
        <StatusBadge status={task.status} />
        {isQueued && canChange && (
          <>
            <button
              type="button"
              class="btn small ghost"
              disabled={props.position === 0}
              onClick={() => props.onMove(-1)}
              aria-label="Move up"
              title="Move up"
            >
              ↑
            </button>
            <button
              type="button"
              class="btn small ghost"
              disabled={props.position === props.queued - 1}
              onClick={() => props.onMove(1)}
              aria-label="Move down"
              title="Move down"
            >
              ↓
            </button>
            <button type="button" class="btn small danger" onClick={props.onCancel} data-testid="cancel-task">
              Cancel
            </button>
          </>
        )}
      </div>
    </li>
  );
}

export function TasksPage() {
  const list = useResource<TaskList>('/api/tasks', ['tasks', 'runs', 'review']);
  const [error, setError] = useState<unknown>(null);
  const tasks = list.data?.tasks ?? [];
  const queued = tasks.filter((task) => task.status === 'queued');
  const active = tasks.filter((task) => ['running', 'review', 'rework'].includes(task.status));
  const finished = tasks.filter((task) => ['landed', 'rejected', 'blocked'].includes(task.status));

  const move = (task: TaskView, step: number) => {
    const ids = queued.map((each) => each.id);
    const from = ids.indexOf(task.id);
    const to = from + step;
    if (from < 0 || to < 0 || to >= ids.length) return;
    [ids[from], ids[to]] = [ids[to] as string, ids[from] as string];
    postJson<TaskList>('/api/tasks/reorder', { ids }).then(list.reload, setError);
  };
  const cancel = (task: TaskView) => {
    if (!window.confirm(`Cancel “${task.goal}”?`)) return;
    postJson<TaskView>(`/api/tasks/${encodeURIComponent(task.id)}/cancel`).then(list.reload, setError);
  };

  const section = (title: string, sub: string, rows: TaskView[], empty: ComponentChildren, testId: string) => (
    <Card title={title} sub={sub} pad={false} testId={testId}>
      {!list.data ? (
        <SkeletonRows count={2} />
      ) : rows.length === 0 ? (
        empty
      ) : (
        <ul class="list">
          {rows.map((task, index) => (
            <TaskRow
              key={task.id}
              task={task}
              position={task.status === 'queued' ? index : null}
              queued={queued.length}
              onMove={(step) => move(task, step)}
              onCancel={() => cancel(task)}
            />
          ))}
        </ul>
      )}
    </Card>
  );

  return (
    <>
      <PageHead
        title="Tasks"
        sub={
          <>
            The queue <code>sluice work</code> takes from: an agent starts the top task when there is room.
          </>
        }
      />
      <ErrorNotice error={error ?? list.error} />
      <div class="tasks-layout">
        <div class="grid" style={{ minWidth: 0 }}>
          {section(
            'Queued',
            'in the order they start',
            queued,
            <Empty title="The queue is empty" command={'sluice add "<goal>"'}>
              Add a task here or from the command line; <code>sluice work</code> runs them.
            </Empty>,
            'queued-tasks',
          )}
          {section(
            'In progress',
            'running, in review, or being reworked',
            active,
            <Empty title="Nothing in progress" />,
            'active-tasks',
          )}
          {section(
            'Finished',
            'landed, rejected or blocked',
            finished,
            <Empty title="Nothing finished yet" />,
            'finished-tasks',
          )}
        </div>
        <Card title="Add a task">
          <AddTaskForm onAdded={list.reload} />
        </Card>
      </div>
    </>
  );
}
