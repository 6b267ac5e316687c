import { monotonicNow } from '../../clock.ts';
import { formatMetricResult } from '../../gates/bench/format-metric.ts';
import type { CheckEvent } from '../../gates/check-events.ts';
import type { CheckResult, GateResult, GateStatus } from '../../gates/gate-results.ts';
import { formatDuration, type Paint, paint } from './paint.ts';

/** Human output of a check: a live task list on a terminal, plain lines otherwise. */
export interface CheckReporter {
  onEvent(event: CheckEvent): void;
  stop(): void;
  summarize(result: CheckResult, feedback: string): void;
}

const symbols: Record<GateStatus | 'waiting' | 'running', string> = {
  passed: '✓',
  cached: '✓',
  failed: '✗',
  'timed-out': '✗',
  skipped: '-',
  waiting: '·',
  running: '…',
};
const spinner = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Pick the live list for an interactive terminal, plain lines for pipes, files and CI. */
export function createCheckReporter(stream: NodeJS.WriteStream): CheckReporter {
  const live = Boolean(stream.isTTY) && !process.env.CI && process.env.TERM !== 'dumb';
  const color = paint(live && !process.env.NO_COLOR);
  return live ? liveReporter(stream, color) : plainReporter(stream, color);
}

/** A list taller than the terminal cannot be redrawn in place; such checks get plain lines. */
function fitsScreen(stream: NodeJS.WriteStream, gateCount: number): boolean {
  return gateCount < (stream.rows || 24) - 1; // 0 rows: size unknown (a pty without one)
}

function plainReporter(stream: NodeJS.WriteStream, color: Paint): CheckReporter {
  return {
    onEvent(event) {
      if (event.type === 'gate:finish') stream.write(`${gateLine(event.result, color, 0)}\n`);
    },
    stop() {},
    summarize: (result, feedback) => stream.write(summary(result, feedback, color)),
  };
}

function liveReporter(stream: NodeJS.WriteStream, color: Paint): CheckReporter {
  const order: string[] = [];
  const started = new Map<string, number>();
  const finished = new Map<string, GateResult>();
  let drawn = 0;
  let frame = 0;
  const width = () => Math.max(...order.map((name) => name.length), 4);
  const draw = () => {
    frame++;
    const lines = order.map((name) => {
      const result = finished.get(name);
      if (result) return gateLine(result, color, width());
      const since = started.get(name);
      if (since === undefined) return `${color.dim(symbols.waiting)} ${name.padEnd(width())}  ${color.dim('waiting')}`;
      const spin = spinner[frame % spinner.length] ?? symbols.running;
      return `${color.cyan(spin)} ${name.padEnd(width())}  ${color.dim(formatDuration(monotonicNow() - since))}`;
    });
    const up = drawn > 0 ? `\x1b[${drawn}F` : '';
    stream.write(`${up}${lines.map((line) => `\x1b[2K${line}`).join('\n')}\n`);
    drawn = lines.length;
  };
  let timer: NodeJS.Timeout | undefined;
  let fallback: CheckReporter | undefined;
  return {
    onEvent(event) {
      if (fallback) return fallback.onEvent(event);
      switch (event.type) {
        case 'check:start':
          if (!fitsScreen(stream, event.gates.length)) {
            fallback = plainReporter(stream, color);
            return;
          }
          order.push(...event.gates.map((gate) => gate.name));
          stream.write('\x1b[?25l');
          timer = setInterval(draw, 80);
          timer.unref();
          break;
        case 'gate:start':
          started.set(event.name, monotonicNow());
          break;
        case 'gate:finish':
          finished.set(event.result.name, event.result);
          break;
        case 'check:finish':
          break;
      }
      draw();
    },
    stop() {
      if (timer) clearInterval(timer);
      if (order.length > 0) {
        draw();
        stream.write('\x1b[?25h');
      }
    },
    summarize: (result, feedback) => stream.write(summary(result, feedback, color)),
  };
}

function gateLine(result: GateResult, color: Paint, width: number): string {
  const name = result.name.padEnd(width);
  const duration = color.dim(formatDuration(result.durationMs));
  const note = result.blocking ? '' : color.dim(' (non-blocking)');
  switch (result.status) {
    case 'passed':
      return `${color.green(symbols.passed)} ${name}  passed ${duration}${countsNote(result)}${note}`;
    case 'cached':
      return `${color.green(symbols.cached)} ${name}  cached${countsNote(result)}${note}`;
    case 'failed':
      return `${color.red(symbols.failed)} ${name}  failed ${duration}${failureNote(result)}${note}`;
    case 'timed-out':
      return `${color.red(symbols['timed-out'])} ${name}  timed out ${duration}${note}`;
    case 'skipped':
      return `${color.dim(`${symbols.skipped} ${name}  skipped: ${result.reason ?? ''}`)}`;
  }
}

function countsNote(result: GateResult): string {
  return result.counts ? ` · ${result.counts.passed} tests` : '';
}

function failureNote(result: GateResult): string {
  if (result.counts && result.counts.failed > 0)
    return ` · ${result.counts.failed} of ${result.counts.total} tests failed`;
  // A command that exited 0 but broke an invariant, a log rule or a goal: the reason says which.
  if (result.reason && (result.exitCode === undefined || result.exitCode === 0)) return ` · ${result.reason}`;
  return result.exitCode !== undefined ? ` · exit ${result.exitCode}` : '';
}

function summary(result: CheckResult, feedback: string, color: Paint): string {
  const count = (...statuses: GateStatus[]) => result.gates.filter((gate) => statuses.includes(gate.status)).length;
  const passed = count('passed', 'cached');
  const cached = count('cached');
  const failed = count('failed', 'timed-out');
  const skipped = count('skipped');
  const parts = [color.green(`${passed} passed${cached > 0 ? ` (${cached} cached)` : ''}`)];
  if (failed > 0) parts.push(color.red(`${failed} failed`));
  if (skipped > 0) parts.push(`${skipped} skipped`);
  const head = `\n${benchLines(result)}${parts.join(' · ')} in ${formatDuration(result.durationMs)}${result.cancelled ? ' (cancelled)' : ''}\n`;
  return result.verdict === 'failed' && failed > 0 ? `${head}\n${feedback}\n` : head;
}

/** What each bench gate measured, one line per metric, before the totals. */
function benchLines(result: CheckResult): string {
  const lines = result.gates.flatMap((gate) =>
    (gate.bench?.metrics ?? []).map((metric) => `${gate.name}: ${formatMetricResult(metric)}\n`),
  );
  return lines.join('');
}
