import type { MetricResult } from '../gates/bench/bench-types.ts';

/** What `sluice gym` adds to the evidence: each iteration's metrics, the best one, the charts. */
export interface GymEvidence {
  rows: Array<{
    iteration: number;
    metrics: Array<{ name: string; result: MetricResult }>;
    goalsMet: number;
    goalsTotal: number;
  }>;
  best?: { iteration: number; commit: string | null };
  /** Chart files beside evidence.md, one per metric. */
  charts: Array<{ metric: string; file: string }>;
}

/** The Markdown section of the gym: a table per iteration and the charts. */
export function renderGymSection(gym: GymEvidence): string[] {
  const lines = ['## Goals, iteration by iteration', ''];
  if (gym.best)
    lines.push(
      `Best result: iteration ${gym.best.iteration}${gym.best.commit ? ` (${gym.best.commit.slice(0, 12)})` : ''}.`,
      '',
    );
  lines.push('| iteration | metric | median | vs baseline | goals |', '| --- | --- | --- | --- | --- |');
  for (const row of gym.rows) {
    for (const { name, result } of row.metrics) {
      const unit = result.unit ? ` ${result.unit}` : '';
      const ratio = result.ratio
        ? `x${result.ratio.value.toFixed(2)} [${result.ratio.interval[0].toFixed(2)}-${result.ratio.interval[1].toFixed(2)}] ${result.change ?? ''}`
        : '';
      const goals = result.goals
        .map((goal) => `${goal.goal}: ${goal.verdict === 'goal-met' ? 'met' : 'missed'}`)
        .join('; ');
      lines.push(`| ${row.iteration} | ${name} | ${round(result.median)}${unit} | ${ratio.trim()} | ${goals} |`);
    }
  }
  lines.push('');
  for (const chart of gym.charts) lines.push(`![${chart.metric}](${chart.file})`, '');
  return lines;
}

function round(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3);
}

/** The bench gates of the final tree with their numbers: what a reviewer checks a speed claim against. */
export function renderBenchmarkSection(gates: Array<{ name: string; bench?: { metrics: MetricResult[] } }>): string[] {
  const metrics = gates.flatMap((gate) =>
    (gate.bench?.metrics ?? []).map((result) => ({ name: `${gate.name}.${result.metric}`, result })),
  );
  if (metrics.length === 0) return [];
  const lines = [
    '## Benchmarks on the final tree',
    '',
    '| metric | median [CI] | baseline | ratio [CI] | verdict |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const { name, result } of metrics) {
    const unit = result.unit ? ` ${result.unit}` : '';
    const value = `${round(result.median)}${unit} [${round(result.interval[0])}-${round(result.interval[1])}]`;
    const ref =
      result.baseline && /^[0-9a-f]{40}$/.test(result.baseline.ref)
        ? result.baseline.ref.slice(0, 12)
        : result.baseline?.ref;
    const baseline = result.baseline ? `${round(result.baseline.median)}${unit} (${ref})` : '-';
    const ratio = result.ratio
      ? `x${result.ratio.value.toFixed(2)} [${result.ratio.interval[0].toFixed(2)}-${result.ratio.interval[1].toFixed(2)}]`
      : '-';
    const verdicts = [result.change, ...result.goals.map((goal) => `${goal.goal}: ${goal.verdict}`)].filter(Boolean);
    lines.push(`| ${name} | ${value} | ${baseline} | ${ratio} | ${verdicts.join('; ')} |`);
  }
  lines.push('');
  return lines;
}
