import type { ComponentChildren } from 'preact';
import { describeFailure } from '../api/client.ts';

export type Tone = 'ok' | 'bad' | 'warn' | 'info' | 'review' | 'muted';

const tones: Record<string, Tone> = {
  running: 'info',
  done: 'ok',
  blocked: 'bad',
  'budget-exhausted': 'warn',
  failed: 'bad',
  cancelled: 'muted',
  waiting: 'review',
  landed: 'ok',
  rejected: 'bad',
  'changes-requested': 'warn',
  'land-failed': 'bad',
  queued: 'muted',
  review: 'review',
  rework: 'warn',
  passed: 'ok',
  cached: 'ok',
  'timed-out': 'bad',
  skipped: 'muted',
};

const labels: Record<string, string> = {
  'budget-exhausted': 'out of budget',
  'changes-requested': 'changes requested',
  'land-failed': 'landing failed',
  waiting: 'awaiting review',
  review: 'in review',
};

export function toneOf(status: string): Tone {
  return tones[status] ?? 'muted';
}

export function StatusBadge({ status, label }: { status: string; label?: string }) {
  const tone = toneOf(status);
  return (
    <span class={`badge ${tone}${status === 'running' ? ' pulse' : ''}`} data-status={status}>
      {label ?? labels[status] ?? status}
    </span>
  );
}

export function Card(props: {
  title?: ComponentChildren;
  sub?: ComponentChildren;
  actions?: ComponentChildren;
  children: ComponentChildren;
  class?: string;
  pad?: boolean;
  testId?: string;
}) {
  return (
    <section class={`card ${props.class ?? ''}`} data-testid={props.testId}>
      {(props.title || props.actions) && (
        <header class="card-head">
          <div>
            {props.title && <h2>{props.title}</h2>}
            {props.sub && <div class="sub">{props.sub}</div>}
          </div>
          {props.actions}
        </header>
      )}
      {props.pad === false ? props.children : <div class="card-body">{props.children}</div>}
    </section>
  );
}

export function Stat(props: {
  label: string;
  value: ComponentChildren;
  note?: ComponentChildren;
  meter?: number | null;
  testId?: string;
}) {
  const fill = props.meter === null || props.meter === undefined ? null : Math.max(0, Math.min(1, props.meter));
  const meterClass = fill === null ? '' : fill >= 1 ? ' bad' : fill >= 0.8 ? ' warn' : '';
  return (
    <div class="card stat" data-testid={props.testId}>
      <div class="stat-label">{props.label}</div>
      <div class="stat-value">{props.value}</div>
      {props.note && (
        <div class="stat-note" title={typeof props.note === 'string' ? props.note : undefined}>
          {props.note}
        </div>
      )}
      {props.meter !== undefined && (
        // null keeps the meter's place (no bound to measure against), so the card keeps its height.
        <div class={`meter${meterClass}`} style={fill === null ? { visibility: 'hidden' } : undefined}>
          <span style={{ width: `${(fill ?? 0) * 100}%` }} />
        </div>
      )}
    </div>
  );
}

export function Empty(props: { title: string; children?: ComponentChildren; command?: string }) {
  return (
    <div class="empty" data-testid="empty">
      <strong>{props.title}</strong>
      {props.children && <div>{props.children}</div>}
      {props.command && <code class="cmd">{props.command}</code>}
    </div>
  );
}

export function Skeleton(props: { width?: string; height?: number; rows?: number }) {
  const rows = props.rows ?? 1;
  return (
    <div aria-hidden="true" data-skeleton>
      {Array.from({ length: rows }, (_, index) => (
        <span
          key={index}
          class="skeleton"
          style={{ width: props.width ?? '100%', height: `${props.height ?? 14}px`, margin: rows > 1 ? '10px 0' : 0 }}
        />
      ))}
    </div>
  );
}

/** Placeholder rows the height of real rows, so the list does not jump when data arrives. */
export function SkeletonRows({ count = 3 }: { count?: number }) {
  return (
    <ul class="list" aria-busy="true">
      {Array.from({ length: count }, (_, index) => (
        <li class="row" key={index}>
          <div>
            <Skeleton width="55%" />
            <div style={{ height: '6px' }} />
            <Skeleton width="30%" height={10} />
          </div>
          <Skeleton width="70px" height={20} />
        </li>
      ))}
    </ul>
  );
}

export function ErrorNotice({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <div class="notice bad" role="alert">
      {describeFailure(error)}
    </div>
  );
}

export function PageHead(props: {
  title: ComponentChildren;
  sub?: ComponentChildren;
  crumbs?: ComponentChildren;
  actions?: ComponentChildren;
}) {
  return (
    <div class="page-head">
      <div style={{ minWidth: 0 }}>
        {props.crumbs && <div class="crumbs">{props.crumbs}</div>}
        <h1>{props.title}</h1>
        {props.sub && <div class="page-sub">{props.sub}</div>}
      </div>
      {props.actions && <div class="actions">{props.actions}</div>}
    </div>
  );
}
