import type { GateView, GuardFindingView } from '../../../src/server/api-types.ts';
import { duration } from '../format.ts';

function gateTone(gate: GateView): 'ok' | 'bad' | '' {
  if (gate.status === 'passed' || gate.status === 'cached') return 'ok';
  if (gate.status === 'failed' || gate.status === 'timed-out') return 'bad';
  return '';
}

/** Gates as chips: name, pass/fail, how long; a failed gate opens to its failures and output. */
export function GateChips({ gates }: { gates: GateView[] }) {
  if (gates.length === 0) return <span class="muted">No gates ran.</span>;
  const failed = gates.filter((gate) => gateTone(gate) === 'bad');
  return (
    <div style={{ display: 'grid', gap: '8px' }}>
      <div class="gates" data-testid="gates">
        {gates.map((gate) => {
          const tone = gateTone(gate);
          return (
            <span
              key={gate.name}
              class={`gate ${tone}`}
              data-testid="gate"
              data-gate={gate.name}
              data-status={gate.status}
              title={gate.reason ?? `${gate.kind} gate, tier ${gate.tier}${gate.blocking ? '' : ', not blocking'}`}
            >
              <span class="gate-mark">{tone === 'ok' ? '✓' : tone === 'bad' ? '✗' : '–'}</span>
              <span>{gate.name}</span>
              {gate.status === 'cached' && <span class="muted">cached</span>}
              {gate.status === 'skipped' && <span class="muted">skipped</span>}
              {gate.status === 'timed-out' && <span>timed out</span>}
              {gate.counts?.total !== undefined && (
                <span class="dur">
                  {gate.counts.passed ?? 0}/{gate.counts.total}
                </span>
              )}
              <span class="dur">{duration(gate.durationMs)}</span>
            </span>
          );
        })}
      </div>
      {failed.map((gate) => (
        <details class="fold" key={gate.name}>
          <summary>
            Why {gate.name} failed
            {gate.failures.length > 0
              ? ` — ${gate.failures.length} failure${gate.failures.length === 1 ? '' : 's'}`
              : ''}
          </summary>
          <pre>
            {gate.reason ? `${gate.reason}\n\n` : ''}
            {gate.failures
              .map((failure) =>
                [
                  failure.file && `${failure.file}${failure.line ? `:${failure.line}` : ''}`,
                  failure.test,
                  failure.message,
                ]
                  .filter(Boolean)
                  .join('  '),
              )
              .join('\n')}
            {gate.outputTail && gate.outputTail.length > 0 ? `\n\n${gate.outputTail.join('\n')}` : ''}
          </pre>
        </details>
      ))}
    </div>
  );
}

export function GuardFindings({ findings, reverted = [] }: { findings: GuardFindingView[]; reverted?: string[] }) {
  if (findings.length === 0 && reverted.length === 0) return null;
  return (
    <div style={{ display: 'grid', gap: '6px' }} data-testid="guard-findings">
      {findings.map((finding) => (
        <div class="finding" key={`${finding.rule}:${finding.path}:${finding.line}`}>
          <span class="rule">
            Guard · {finding.rule} · {finding.severity}
          </span>
          <span>{finding.message}</span>
          <span class="mono muted">
            {finding.path}:{finding.line}
          </span>
        </div>
      ))}
      {reverted.length > 0 && (
        <div class="finding">
          <span class="rule">Guard restored from the base</span>
          <span class="mono">{reverted.join(', ')}</span>
        </div>
      )}
    </div>
  );
}
