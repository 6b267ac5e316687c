import type { ModelUsage } from './model-usage.ts';

/** "claude-opus: 2.7k input, 115.3k output, 16.3m cache read, 867.9k cache write ($3.30), API 2m 03s". */
export function formatUsageLine(usage: ModelUsage): string {
  const cost = usage.costUsd === null ? 'cost unknown' : `$${usage.costUsd.toFixed(2)}`;
  return (
    `${usage.model}: ${compactCount(usage.inputTokens)} input, ${compactCount(usage.outputTokens)} output, ` +
    `${compactCount(usage.cacheReadTokens)} cache read, ${compactCount(usage.cacheWriteTokens)} cache write (${cost}), ` +
    `API ${formatApiTime(usage.apiMs)}`
  );
}

/** 950 -> "950", 2_700 -> "2.7k", 16_300_000 -> "16.3m". */
export function compactCount(count: number): string {
  if (count < 1000) return String(count);
  if (count < 1_000_000) return `${(count / 1000).toFixed(1)}k`;
  return `${(count / 1_000_000).toFixed(1)}m`;
}

/** "850ms", "42s", "2h 43m". */
export function formatApiTime(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}
