import { useState } from 'preact/hooks';
import type { ApprovalDecisionView, ApprovalList, ApprovalView } from '../../../src/server/api-types.ts';
import { describeFailure, postJson } from '../api/client.ts';
import { useResource } from '../api/live.ts';
import { Card, Empty, ErrorNotice, PageHead, SkeletonRows } from '../components/ui.tsx';
import { ago } from '../format.ts';
import { useCanChange } from '../session.ts';

type Outcome = { tone: 'ok' | 'bad'; text: string };

const showLabels: Record<NonNullable<ApprovalView['show']>['kind'], string> = {
  file: 'File',
  report: 'Report',
  diff: 'Diff',
};

function ApprovalCard({ approval, onDecided }: { approval: ApprovalView; onDecided: (outcome: Outcome) => void }) {
  const canChange = useCanChange();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const decide = (decision: 'approve' | 'reject') => {
    setBusy(true);
    setError(null);
    const path = `/api/workflows/${encodeURIComponent(approval.workflowId)}/steps/${encodeURIComponent(approval.stepId)}/${decision}`;
    postJson<ApprovalDecisionView>(path, reason.trim() ? { reason: reason.trim() } : {})
      .then((result) =>
        onDecided({
          tone: 'ok',
          text: `${approval.stepId} of ${result.workflowId}: ${result.decision}. The workflow goes on in the background (${result.driving.log}).`,
        }),
      )
      .catch((failure) => setError(describeFailure(failure)))
      .finally(() => setBusy(false));
  };
  const title = approval.stepName ?? approval.stepId;
  return (
    <Card
      title={
        <>
          {approval.workflowName} · {title}
        </>
      }
      sub={
        <>
          <span class="mono">{approval.workflowId}</span> · waiting since {ago(approval.waitingSince)}
          {approval.expiresAt && (
            <span data-testid="approval-expiry">
              {' '}
              · {approval.expired ? 'expired' : 'expires'} {new Date(approval.expiresAt).toLocaleString()}
            </span>
          )}
        </>
      }
      testId="approval"
    >
      <div data-workflow-id={approval.workflowId} data-step-id={approval.stepId} data-expired={approval.expired}>
        {approval.message && (
          <p class="row-title" data-testid="approval-message">
            {approval.message}
          </p>
        )}
        {approval.show && (
          <details class="fold" open style={{ margin: '12px 0' }}>
            <summary>
              {showLabels[approval.show.kind]} <span class="mono">{approval.show.target}</span>
            </summary>
            <pre class="log" data-testid="approval-material">
              {approval.material}
            </pre>
          </details>
        )}
        {approval.expired ? (
          <div class="notice warn">
            This approval expired: a decision is refused, and the step fails as expired when the workflow is next
            driven.
          </div>
        ) : (
          <>
            <div class="field">
              <label for={`reason-${approval.workflowId}-${approval.stepId}`}>Reason</label>
              <textarea
                id={`reason-${approval.workflowId}-${approval.stepId}`}
                class="textarea"
                rows={2}
                value={reason}
                onInput={(event) => setReason(event.currentTarget.value)}
                placeholder="Why (required to reject)"
                data-testid="approval-reason"
              />
              <span class="hint">
                Kept with the decision; later steps read it as <code>steps.{approval.stepId}.outputs.reason</code>.
              </span>
            </div>
            {error && (
              <div class="notice bad" role="alert" style={{ marginBottom: '12px' }}>
                {error}
              </div>
            )}
            <div class="actions">
              <button
                type="button"
                class="btn approve"
                disabled={!canChange || busy}
                onClick={() => decide('approve')}
                data-testid="approve-step"
              >
                Approve
              </button>
              <button
                type="button"
                class="btn danger"
                disabled={!canChange || busy || !reason.trim()}
                title={reason.trim() ? undefined : 'Say why to reject'}
                onClick={() => decide('reject')}
                data-testid="reject-step"
              >
                Reject
              </button>
            </div>
          </>
        )}
      </div>
    </Card>
  );
}

/** Workflow steps parked for a human: what each shows, and the decision (`sluice approve` from the page). */
export function ApprovalsPage() {
  const list = useResource<ApprovalList>('/api/approvals', ['workflows']);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const approvals = list.data?.approvals ?? [];
  return (
    <>
      <PageHead
        title="Approvals"
        sub={
          <>
            Workflow steps waiting for a human. A decision here is <code>sluice approve</code>: recorded once, then the
            workflow goes on.
          </>
        }
      />
      <ErrorNotice error={list.error} />
      {outcome && (
        <div class={`notice ${outcome.tone}`} role="status" data-testid="approval-outcome">
          {outcome.text}
        </div>
      )}
      {!list.data ? (
        <Card pad={false}>
          <SkeletonRows count={2} />
        </Card>
      ) : approvals.length === 0 ? (
        <Card>
          <Empty title="Nothing waiting for approval" command="sluice workflow run <name>">
            A workflow's <code>approve</code> steps appear here while they wait.
          </Empty>
        </Card>
      ) : (
        <div class="grid">
          {approvals.map((approval) => (
            <ApprovalCard
              key={`${approval.workflowId}/${approval.stepId}`}
              approval={approval}
              onDecided={(result) => {
                setOutcome(result);
                list.reload();
              }}
            />
          ))}
        </div>
      )}
    </>
  );
}
