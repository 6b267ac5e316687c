import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isProcessRunning } from '../process/process-groups.ts';
import { spawnDetached } from '../process/spawn-detached.ts';
import type { RunStore } from '../store/run-store.ts';
import type { WorkflowRunRecord } from '../store/workflow-records.ts';
import { approvalExpiry } from '../workflow/approve-step.ts';
import { familyOf, rootWorkflowOf } from '../workflow/drive-workflow.ts';

/** The CLI this server belongs to (as run steps find it: `$SLUICE_CLI`). */
const sluiceCli = fileURLToPath(new URL('../../bin/sluice.js', import.meta.url));
const pollMs = 500;
/** Drives started for one decision when another process held the workflow and missed it. */
const maxDrives = 3;

/**
 * Drives a workflow on after a decision made here, as `sluice approve` does in its own process: by
 * `sluice workflow resume <outermost id>`, started detached, so it outlives this server (no process has
 * to stay alive for a workflow) and its agents do not write into the server's terminal. Its output goes
 * to `.sluice/workflow-logs/<id>.log`. When another process drives the workflow at that moment (a CLI
 * `sluice approve`, say), the resume waits until it is gone, then looks again: a decision it did not see
 * is driven then; one it did see is not driven twice (the store decides which step is still undecided).
 */
export class WorkflowDriving {
  readonly #store: RunStore;
  readonly #reportError: (error: unknown) => void;
  readonly #loops = new Map<string, { again: boolean }>();
  readonly #closing = new AbortController();

  constructor(store: RunStore, reportError: (error: unknown) => void) {
    this.#store = store;
    this.#reportError = reportError;
  }

  /** Drive the outermost workflow of `workflowId` on in the background; the log file it writes. */
  async drive(workflowId: string): Promise<{ workflowId: string; log: string }> {
    const root = (await rootWorkflowOf(this.#store, workflowId)) ?? (await this.#store.workflows.getRun(workflowId));
    if (!root) throw new Error(`no workflow run ${workflowId}`);
    const log = join(root.configRoot, '.sluice', 'workflow-logs', `${root.id}.log`);
    const loop = this.#loops.get(root.id);
    if (loop) loop.again = true;
    else {
      const state = { again: false };
      this.#loops.set(root.id, state);
      void this.#loop(root, log, state)
        .catch(this.#reportError)
        .finally(() => this.#loops.delete(root.id));
    }
    return { workflowId: root.id, log };
  }

  /** Stop watching; the resume processes already started go on. */
  close(): void {
    this.#closing.abort();
  }

  async #loop(root: WorkflowRunRecord, log: string, state: { again: boolean }): Promise<void> {
    await mkdir(join(root.configRoot, '.sluice', 'workflow-logs'), { recursive: true });
    for (let drives = 0; drives < maxDrives; ) {
      await this.#untilUndriven(root.id);
      if (this.#closing.signal.aborted) return;
      state.again = false;
      if (!(await this.#owesDrive(root.id))) {
        if (state.again) continue;
        return;
      }
      drives += 1;
      const pid = await spawnDetached({
        file: process.execPath,
        args: [sluiceCli, 'workflow', 'resume', root.id],
        cwd: root.configRoot,
        outputPath: log,
      });
      await this.#untilGone(pid);
    }
  }

  /** While a live process (ours or another) drives the workflow, wait. */
  async #untilUndriven(rootId: string): Promise<void> {
    for (;;) {
      const record = await this.#store.workflows.getRun(rootId);
      if (record?.status !== 'running' || record.pid === undefined || !isProcessRunning(record.pid)) return;
      if (!(await this.#sleep())) return;
    }
  }

  async #untilGone(pid: number): Promise<void> {
    while (isProcessRunning(pid)) if (!(await this.#sleep())) return;
  }

  /** Some approval of the workflow or those it nests is decided (or expired) but not acted on yet. */
  async #owesDrive(rootId: string): Promise<boolean> {
    const root = await this.#store.workflows.getRun(rootId);
    if (!root || ['succeeded', 'failed', 'cancelled'].includes(root.status)) return false;
    const runs = await this.#store.workflows.listRuns({ statuses: ['running', 'waiting'] });
    const family = familyOf(rootId, runs);
    const now = new Date();
    for (const run of family) {
      for (const step of await this.#store.workflows.listSteps(run.id)) {
        if (step.kind !== 'approve' || step.status !== 'waiting') continue;
        if (step.decision !== undefined || approvalExpiry(run, step, now)) return true;
      }
    }
    return false;
  }

  #sleep(): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.#closing.signal.aborted) return resolve(false);
      const timer = setTimeout(() => resolve(!this.#closing.signal.aborted), pollMs);
      timer.unref();
    });
  }
}
