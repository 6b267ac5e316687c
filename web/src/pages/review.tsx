import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { Link, useLocation } from 'wouter-preact';
import type {
  ApproveResult,
  DecisionResult,
  ReviewItemDetail,
  ReviewQueue,
  ReviewQueueItem,
} from '../../../src/server/api-types.ts';
import { describeFailure, postJson } from '../api/client.ts';
import { useResource } from '../api/live.ts';
import { Dialog } from '../components/dialog.tsx';
import { GateChips, GuardFindings } from '../components/gates.tsx';
import { Card, Empty, ErrorNotice, PageHead, Skeleton, SkeletonRows, StatusBadge } from '../components/ui.tsx';
import { DiffView, fileCount } from '../diff/diff-view.tsx';
import { ago, minutes, shortSha } from '../format.ts';
import { useActiveTime } from '../review/active-time.ts';
import { useCanChange } from '../session.ts';

type Outcome = { tone: 'ok' | 'bad' | 'warn'; title: string; detail?: string; runId: string };

function describeApproval(result: ApproveResult, runId: string): Outcome {
  switch (result.status) {
    case 'landed':
      return { tone: 'ok', runId, title: `Landed on ${result.base} as ${shortSha(result.commit)} (${result.mode}).` };
    case 'pull-request':
      return { tone: 'ok', runId, title: `Pull request opened against ${result.base}.`, detail: result.url };
    case 'conflict':
      return {
        tone: 'bad',
        runId,
        title: `Not landed: the change conflicts with ${result.base}. Nothing was lost; the branch is kept.`,
        detail: `${result.note}\n\nConflicting files:\n${result.files.join('\n')}`,
      };
    case 'gates-failed':
      return {
        tone: 'bad',
        runId,
        title: `Not landed: the gates failed on top of ${result.base}.${result.sentBack ? ' The agent was sent back to fix it.' : ''}`,
        detail: result.note,
      };
    case 'not-landed':
      return { tone: 'warn', runId, title: `Not landed on ${result.base}.`, detail: result.note };
    case 'cancelled':
      return { tone: 'warn', runId, title: 'Landing was cancelled; nothing changed.' };
  }
}

function QueueList(props: { items: ReviewQueueItem[]; current: string | null }) {
  return (
    <div class="list" data-testid="queue">
      {props.items.map((item) => (
        <Link
          key={item.runId}
          href={`/review/${item.runId}`}
          class={`queue-item${item.runId === props.current ? ' current' : ''}`}
          data-testid="queue-item"
          data-run-id={item.runId}
          aria-current={item.runId === props.current ? 'true' : undefined}
        >
          <span class="row-title">{item.goal}</span>
          <span class="row-meta">
            <span>~{minutes(item.reviewMinutes)}</span>
            <span>
              <span class="adds">+{item.insertions}</span> <span class="dels">−{item.deletions}</span>
            </span>
            {item.guardFindings > 0 && <span class="badge warn">{item.guardFindings} guard</span>}
            {item.round > 1 && <span>round {item.round}</span>}
          </span>
        </Link>
      ))}
    </div>
  );
}

type Pending = 'approve' | 'reject' | 'changes' | null;

function DecisionDialog(props: {
  kind: Exclude<Pending, null>;
  busy: boolean;
  base: string;
  onCancel: () => void;
  onSubmit: (text: string) => void;
}) {
  const [text, setText] = useState('');
  const field = useRef<HTMLTextAreaElement>(null);
  const approveButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    (field.current ?? approveButton.current)?.focus();
  }, []);
  if (props.kind === 'approve') {
    return (
      <Dialog title="Approve and land?" onClose={props.onCancel} testId="approve-dialog">
        <p class="muted">
          The change is landed on <code>{props.base}</code> the same way as <code>sluice review approve</code>: rebased,
          gates run again, then merged. A conflict or a red gate keeps everything as it is.
        </p>
        <div class="actions">
          <button
            type="button"
            class="btn approve"
            ref={approveButton}
            disabled={props.busy}
            onClick={() => props.onSubmit('')}
            data-testid="confirm-approve"
          >
            {props.busy ? 'Landing…' : 'Approve and land'} <kbd>↵</kbd>
          </button>
          <button type="button" class="btn ghost" onClick={props.onCancel}>
            Cancel <kbd>Esc</kbd>
          </button>
        </div>
      </Dialog>
    );
  }
  const isReject = props.kind === 'reject';
  const submit = () => {
    if (text.trim()) props.onSubmit(text.trim());
  };
  return (
    <Dialog
      title={isReject ? 'Reject this change' : 'Request changes'}
      onClose={props.onCancel}
      testId={`${props.kind}-dialog`}
    >
      <div class="field">
        <label for="decision-text">{isReject ? 'Why (kept with the decision)' : 'What the agent should change'}</label>
        <textarea
          id="decision-text"
          class="textarea"
          ref={field}
          rows={6}
          value={text}
          onInput={(event) => setText(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) submit();
          }}
          placeholder={
            isReject ? 'Not the approach we want because…' : 'Keep the old signature; add a test for the empty case…'
          }
          data-testid="decision-text"
        />
        <span class="hint">
          {isReject
            ? 'The branch is kept; the task is closed as rejected.'
            : 'The text goes into the agent’s next prompt; the run continues on the same branch.'}
        </span>
      </div>
      <div class="actions">
        <button
          type="button"
          class={`btn ${isReject ? 'danger' : 'primary'}`}
          disabled={props.busy || !text.trim()}
          onClick={submit}
          data-testid="confirm-decision"
        >
          {props.busy ? 'Sending…' : isReject ? 'Reject' : 'Send to the agent'} <kbd>Ctrl ↵</kbd>
        </button>
        <button type="button" class="btn ghost" onClick={props.onCancel}>
          Cancel <kbd>Esc</kbd>
        </button>
      </div>
    </Dialog>
  );
}

function typingIn(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  if (!element) return false;
  return element.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName);
}

function ItemDetail(props: {
  detail: ReviewItemDetail | undefined;
  error: unknown;
  file: number;
  onFile: (index: number) => void;
}) {
  const detail = props.detail;
  if (props.error && !detail) return <ErrorNotice error={props.error} />;
  if (!detail) {
    return (
      <Card>
        <Skeleton rows={8} />
      </Card>
    );
  }
  const item = detail.item;
  return (
    <div
      class="grid"
      style={{ gridTemplateColumns: 'minmax(0, 1fr)' }}
      data-testid="review-item"
      data-run-id={item.runId}
    >
      <Card
        title={item.goal}
        sub={
          <span class="row-meta">
            <Link href={`/runs/${item.runId}`} class="mono">
              {item.runId}
            </Link>
            <span class="mono">{item.branch}</span>
            <span>round {item.round}</span>
            <span>queued {ago(item.createdAt)}</span>
          </span>
        }
        actions={<StatusBadge status={item.status} />}
      >
        <dl class="kv">
          <dt>Estimated</dt>
          <dd data-testid="estimate">
            {minutes(item.reviewMinutes)} <span class="muted">— {item.costExplanation}</span>
          </dd>
          {item.activeMinutes !== null && (
            <>
              <dt>Measured so far</dt>
              <dd>{minutes(item.activeMinutes)} of active review</dd>
            </>
          )}
          <dt>Gates</dt>
          <dd>
            <GateChips gates={detail.gates} />
          </dd>
          {detail.guardFindings.length > 0 && (
            <>
              <dt>Guard</dt>
              <dd>
                <GuardFindings findings={detail.guardFindings} />
              </dd>
            </>
          )}
          {item.decisionNote && (
            <>
              <dt>Note</dt>
              <dd>{item.decisionNote}</dd>
            </>
          )}
        </dl>
        {detail.evidenceMarkdown && (
          <details class="fold" style={{ marginTop: '12px' }}>
            <summary>Evidence report (evidence.md)</summary>
            <pre>{detail.evidenceMarkdown}</pre>
          </details>
        )}
      </Card>
      <Card pad={false}>
        <DiffView
          patch={detail.diff.patch}
          truncated={detail.diff.truncated}
          current={props.file}
          onCurrentChange={props.onFile}
        />
      </Card>
    </div>
  );
}

export function ReviewPage({ runId }: { runId: string | null }) {
  const queue = useResource<ReviewQueue>('/api/review', ['review', 'runs']);
  const items = queue.data?.items ?? [];
  const [, navigate] = useLocation();
  const current = runId ?? items[0]?.runId ?? null;
  const detail = useResource<ReviewItemDetail>(
    current ? `/api/review/${encodeURIComponent(current)}` : null,
    ['review', 'iterations'],
    {
      runId: current ?? undefined,
    },
  );
  const canChange = useCanChange();
  const waiting = detail.data?.item.status === 'waiting' && detail.data.item.runId === current;
  const activeTime = useActiveTime(waiting ? current : null, canChange);
  const [file, setFile] = useState(0);
  const [pending, setPending] = useState<Pending>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  useEffect(() => setFile(0), [current]);

  const index = items.findIndex((item) => item.runId === current);
  const go = useCallback(
    (step: number) => {
      if (items.length === 0) return;
      const from = Math.max(index, 0);
      const next = items[Math.min(items.length - 1, Math.max(0, from + step))];
      if (next && next.runId !== current) navigate(`/review/${next.runId}`);
    },
    [items, index, current, navigate],
  );

  const decide = (kind: Exclude<Pending, null>, text: string) => {
    if (!current) return;
    const decided = current;
    const after = items[index + 1] ?? items[index - 1] ?? null;
    const activeMs = activeTime.takeUnsent();
    const base = `/api/review/${encodeURIComponent(decided)}`;
    setBusy(true);
    const request =
      kind === 'approve'
        ? postJson<ApproveResult>(`${base}/approve`, { activeMs }).then((result) => describeApproval(result, decided))
        : kind === 'reject'
          ? postJson<DecisionResult>(`${base}/reject`, { reason: text, activeMs }).then(
              (): Outcome => ({ tone: 'warn', runId: decided, title: 'Rejected. The branch is kept.' }),
            )
          : postJson<DecisionResult>(`${base}/changes`, { feedback: text, activeMs }).then(
              (): Outcome => ({ tone: 'ok', runId: decided, title: 'Sent back to the agent with your notes.' }),
            );
    request
      .then((result) => {
        setOutcome(result);
        setPending(null);
        // Move on only when the item really left the queue; a conflict stays on screen with its reason.
        if (result.tone !== 'bad' && after && after.runId !== decided) navigate(`/review/${after.runId}`);
        queue.reload();
        detail.reload();
      })
      .catch((error) => {
        activeTime.giveBack(activeMs);
        setOutcome({
          tone: 'bad',
          runId: decided,
          title: 'The decision was not recorded.',
          detail: describeFailure(error),
        });
        setPending(null);
      })
      .finally(() => setBusy(false));
  };

  // The keys act on what is on screen now: the listener reads this render's state, not the state of the
  // render that subscribed it (effects run after paint, so a key pressed as a new diff appears would move
  // in the old one).
  const onScreen = useRef({ pending, go, data: detail.data, waiting, canChange });
  onScreen.current = { pending, go, data: detail.data, waiting, canChange };
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const { pending, go, data, waiting, canChange } = onScreen.current;
      if (pending || event.ctrlKey || event.metaKey || event.altKey || typingIn(event.target)) return;
      const files = data ? fileCount(data.diff.patch) : 0;
      const act = (kind: Exclude<Pending, null>) => {
        if (waiting && canChange) setPending(kind);
      };
      const handlers: Record<string, () => void> = {
        j: () => go(1),
        k: () => go(-1),
        n: () => setFile((value) => Math.min(Math.max(0, files - 1), value + 1)),
        p: () => setFile((value) => Math.max(0, value - 1)),
        a: () => act('approve'),
        r: () => act('reject'),
        c: () => act('changes'),
      };
      const handler = handlers[event.key];
      if (handler) {
        event.preventDefault();
        handler();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const data = queue.data;
  return (
    <>
      <PageHead
        title="Review"
        sub={
          data ? (
            <span data-testid="queue-summary">
              {items.length === 0
                ? 'Nothing is waiting for you.'
                : `${items.length} waiting · ~${minutes(data.calibratedWaitingMinutes ?? data.waitingMinutes)} of reading`}
              {' · capacity '}
              {minutes(data.capacity.minutesPerDay)}/day ({data.capacity.source.replace('-', ' ')})
            </span>
          ) : (
            <Skeleton width="320px" />
          )
        }
      />
      {data?.calibration && (
        <div class="notice" style={{ marginBottom: '16px' }} data-testid="calibration">
          {data.calibration.sentence}
        </div>
      )}
      {outcome && (
        <div class={`notice ${outcome.tone}`} style={{ marginBottom: '16px' }} role="status" data-testid="outcome">
          <div class="actions">
            <strong>{outcome.title}</strong>
            <span class="spacer" />
            <button type="button" class="btn ghost small" onClick={() => setOutcome(null)}>
              Dismiss
            </button>
          </div>
          {outcome.detail && <pre>{outcome.detail}</pre>}
        </div>
      )}
      <ErrorNotice error={queue.error} />
      {data && items.length === 0 && !runId ? (
        <Card>
          <Empty title="The review queue is empty" command="sluice work">
            Finished runs whose gates pass wait here for your decision. Queue tasks and let agents work through them:
          </Empty>
        </Card>
      ) : (
        <div class="review-layout">
          <Card title="Queue" sub={data ? `${items.length} waiting` : ' '} pad={false}>
            {!data ? (
              <SkeletonRows count={3} />
            ) : items.length === 0 ? (
              <Empty title="All reviewed" />
            ) : (
              <QueueList items={items} current={current} />
            )}
          </Card>
          <div style={{ minWidth: 0 }}>
            <ItemDetail detail={detail.data} error={detail.error} file={file} onFile={setFile} />
            {current && (
              <div class="card decision-bar" style={{ marginTop: '12px' }} data-testid="decision-bar">
                <button
                  type="button"
                  class="btn approve"
                  disabled={!waiting || !canChange || busy}
                  onClick={() => setPending('approve')}
                  data-testid="approve"
                >
                  Approve <kbd>a</kbd>
                </button>
                <button
                  type="button"
                  class="btn"
                  disabled={!waiting || !canChange || busy}
                  onClick={() => setPending('changes')}
                  data-testid="request-changes"
                >
                  Request changes <kbd>c</kbd>
                </button>
                <button
                  type="button"
                  class="btn danger"
                  disabled={!waiting || !canChange || busy}
                  onClick={() => setPending('reject')}
                  data-testid="reject"
                >
                  Reject <kbd>r</kbd>
                </button>
                <span class="spacer" />
                <span class="keys">
                  <kbd>j</kbd>/<kbd>k</kbd> item · <kbd>n</kbd>/<kbd>p</kbd> file
                </span>
              </div>
            )}
          </div>
        </div>
      )}
      {pending && (
        <DecisionDialog
          kind={pending}
          busy={busy}
          base="its base branch"
          onCancel={() => setPending(null)}
          onSubmit={(text) => decide(pending, text)}
        />
      )}
    </>
  );
}
