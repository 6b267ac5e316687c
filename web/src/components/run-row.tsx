import { Link } from 'wouter-preact';
import type { RunSummary } from '../../../src/server/api-types.ts';
import { ago, money, plural } from '../format.ts';
import { StatusBadge } from './ui.tsx';

/** One run in a list: goal, status, and what it cost so far. */
export function RunRow({ run }: { run: RunSummary }) {
  return (
    <Link href={`/runs/${run.id}`} class="row" data-testid="run-row" data-run-id={run.id}>
      <div style={{ minWidth: 0 }}>
        <div class="row-title">{run.goal}</div>
        <div class="row-meta">
          <span class="mono">{run.id}</span>
          <span>{run.agent}</span>
          <span>{plural(run.iterations, 'iteration')}</span>
          <span>{ago(run.updatedAt)}</span>
          {run.reason && run.status !== 'done' && <span title={run.reason}>{run.reason}</span>}
        </div>
      </div>
      <div class="row-side">
        <span>{money(run.costUsd)}</span>
        {run.review ? <StatusBadge status={run.review.status} /> : <StatusBadge status={run.status} />}
      </div>
    </Link>
  );
}
