import type { Hono } from 'hono';
import { z } from 'zod';
import type { StepRecord, WorkflowRunRecord } from '../store/workflow-records.ts';
import { approvalMaterial } from '../workflow/approval-material.ts';
import { approvalDeadline, approvalExpiry, decideApproval, recordedShow } from '../workflow/approve-step.ts';
import type { WorkflowDefinition } from '../workflow/workflow-schema.ts';
import type { ApprovalDecisionView, ApprovalList, ApprovalView } from './api-types.ts';
import { HttpError } from './http-error.ts';
import { readJsonBody } from './read-body.ts';
import type { ServerContext } from './server-context.ts';
import type { WorkflowDriving } from './workflow-driving.ts';

const reasonText = z.string().trim().min(1).max(20_000);
const approveBody = z.object({ reason: reasonText.optional() }).strict();
const rejectBody = z.object({ reason: reasonText }).strict();

/**
 * Workflow approvals, decided here exactly as `sluice approve` decides them (one decision per step, in
 * the store), then driven on in the background (workflow-driving.ts). Also the webhook: a script with
 * the token posts the same request.
 */
export function registerApprovalRoutes(app: Hono, ctx: ServerContext, driving: WorkflowDriving): void {
  app.get('/api/approvals', async (c) => c.json<ApprovalList>({ approvals: await waitingApprovals(ctx) }));

  for (const decision of ['approve', 'reject'] as const) {
    app.post(`/api/workflows/:workflowId/steps/:stepId/${decision}`, async (c) => {
      const body =
        decision === 'approve'
          ? await readJsonBody(c, approveBody)
          : await readJsonBody(c, rejectBody).catch((error: unknown) => {
              throw error instanceof HttpError && error.status === 400
                ? new HttpError(400, 'BAD_REQUEST', `a rejection needs a reason: ${error.message}`)
                : error;
            });
      const workflowId = c.req.param('workflowId');
      const stepId = c.req.param('stepId');
      const result = await decideApproval(ctx.store, {
        workflowId,
        stepId,
        decision: decision === 'approve' ? 'approved' : 'rejected',
        ...(body.reason !== undefined ? { reason: body.reason } : {}),
        now: ctx.now(),
      });
      if (result.status === 'refused') {
        if (result.refusal === 'unknown') throw new HttpError(404, 'NOT_FOUND', result.message);
        // An expired step is failed by the next drive: start it, so the workflow says so now.
        if (result.refusal === 'expired') {
          await driving.drive(workflowId);
          throw new HttpError(409, 'EXPIRED', result.message);
        }
        throw new HttpError(409, 'NOT_WAITING', result.message);
      }
      const driven = await driving.drive(result.workflow.id);
      return c.json<ApprovalDecisionView>({
        workflowId: result.workflow.id,
        stepId,
        decision: decision === 'approve' ? 'approved' : 'rejected',
        reason: body.reason ?? null,
        driving: driven,
      });
    });
  }
}

/** Every approval step waiting for a decision, oldest first, with what it shows. */
export async function waitingApprovals(ctx: ServerContext): Promise<ApprovalView[]> {
  // A workflow Sluice was killed in (`running`, its driver dead) still waits for its parked approvals.
  const runs = await ctx.store.workflows.listRuns({ statuses: ['waiting', 'running'] });
  const views: ApprovalView[] = [];
  for (const run of runs) {
    for (const step of await ctx.store.workflows.listSteps(run.id)) {
      if (step.kind !== 'approve' || step.status !== 'waiting' || step.decision !== undefined) continue;
      views.push(await approvalViewOf(ctx, run, step, rootOf(run, runs)));
    }
  }
  return views.sort((a, b) => a.waitingSince.localeCompare(b.waitingSince));
}

function rootOf(run: WorkflowRunRecord, runs: readonly WorkflowRunRecord[]): string {
  let current = run;
  while (current.parentId !== undefined) {
    const parent = runs.find((each) => each.id === current.parentId);
    if (!parent) break;
    current = parent;
  }
  return current.id;
}

async function approvalViewOf(
  ctx: ServerContext,
  run: WorkflowRunRecord,
  step: StepRecord,
  rootId: string,
): Promise<ApprovalView> {
  const show = recordedShow(step);
  const deadline = approvalDeadline(run, step);
  const name = (run.definition as WorkflowDefinition).steps[step.stepId]?.name;
  return {
    workflowId: run.id,
    workflowName: run.name,
    rootWorkflowId: rootId,
    stepId: step.stepId,
    stepName: name ?? null,
    message: step.outputs.message ?? null,
    show: show
      ? 'file' in show
        ? { kind: 'file', target: show.file }
        : 'diff' in show
          ? { kind: 'diff', target: show.diff }
          : { kind: 'report', target: show.report }
      : null,
    material: await approvalMaterial(run.repoRoot, show),
    waitingSince: step.startedAt,
    expiresAt: deadline ? deadline.toISOString() : null,
    expired: approvalExpiry(run, step, ctx.now()) !== undefined,
  };
}
