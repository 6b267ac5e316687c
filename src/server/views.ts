// Store records -> the shapes of api-types.ts: explicit nulls, no internal fields (log paths, options).
import type { Finding } from '../guard/finding.ts';
import type { ReviewCalibration as Calibration } from '../queue/review-calibration.ts';
import type { ReviewCapacity } from '../queue/review-capacity.ts';
import type { RecordedGateResult, RunRecord, UsageTotal } from '../store/run-records.ts';
import type { ReviewItemRecord, TaskRecord } from '../store/task-records.ts';
import type { ModelUsage } from '../usage/model-usage.ts';
import type {
  GateView,
  GuardFindingView,
  ReviewCalibration,
  ReviewCapacityView,
  ReviewRound,
  RunSummary,
  TaskView,
  UsageRow,
  UsageSums,
} from './api-types.ts';

export function runSummaryOf(
  run: RunRecord,
  extra: {
    iterations: number;
    lastVerdict: 'passed' | 'failed' | null;
    costUsd: number | null;
    review: ReviewItemRecord | undefined;
  },
): RunSummary {
  const taskId = (run.options as { taskId?: unknown }).taskId;
  return {
    id: run.id,
    goal: run.goal,
    agent: run.agent,
    model: run.model ?? null,
    status: run.status,
    reason: run.reason ?? null,
    branch: run.branch,
    baseRef: run.baseRef,
    taskId: typeof taskId === 'string' ? taskId : null,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    finishedAt: run.finishedAt ?? null,
    iterations: extra.iterations,
    lastVerdict: extra.lastVerdict,
    costUsd: extra.costUsd,
    review: extra.review ? { round: extra.review.round, status: extra.review.status } : null,
  };
}

export function gateViewOf(gate: RecordedGateResult): GateView {
  return {
    name: gate.name,
    kind: gate.kind,
    tier: gate.tier,
    blocking: gate.blocking,
    status: gate.status,
    durationMs: gate.durationMs,
    exitCode: gate.exitCode ?? null,
    reason: gate.reason ?? null,
    failures: gate.failures.map((failure) => ({
      ...(failure.file !== undefined ? { file: failure.file } : {}),
      ...(failure.line !== undefined ? { line: failure.line } : {}),
      ...(failure.test !== undefined ? { test: failure.test } : {}),
      message: failure.message,
    })),
    counts: gate.counts ?? null,
    outputTail: gate.outputTail ?? null,
  };
}

export function findingViewOf(finding: Finding): GuardFindingView {
  return {
    rule: String(finding.rule),
    path: String(finding.path),
    line: Number(finding.line),
    severity: String(finding.severity),
    message: String(finding.message),
  };
}

export function reviewRoundOf(item: ReviewItemRecord): ReviewRound {
  return {
    round: item.round,
    status: item.status,
    reviewMinutes: item.reviewMinutes,
    costExplanation: item.costExplanation,
    headCommit: item.headCommit,
    createdAt: item.createdAt,
    decidedAt: item.decidedAt ?? null,
    decisionNote: item.decisionNote ?? null,
    landedCommit: item.landedCommit ?? null,
    activeMinutes: item.activeMs === undefined ? null : Math.round(item.activeMs / 6000) / 10,
  };
}

export function taskViewOf(task: TaskRecord): TaskView {
  return {
    id: task.id,
    goal: task.goal,
    accept: task.accept,
    priority: task.priority,
    status: task.status,
    source: task.source,
    runId: task.runId ?? null,
    waitReason: task.waitReason ?? null,
    createdAt: task.createdAt,
    updatedAt: task.updatedAt,
  };
}

export function capacityViewOf(capacity: ReviewCapacity, calibration: Calibration | undefined): ReviewCapacityView {
  return {
    minutesPerDay: capacity.minutesPerDay,
    source: calibration && capacity.source === 'measured' ? 'measured-active' : capacity.source,
    explanation: capacity.explanation,
  };
}

export function calibrationViewOf(calibration: Calibration | undefined): ReviewCalibration | null {
  return calibration ? { ...calibration } : null;
}

export function emptySums(): UsageSums {
  return { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0, apiMs: 0, turns: 0 };
}

/** Add usage into a running sum; an unknown cost makes the sum unknown. */
export function addSums(sum: UsageSums, usage: Omit<ModelUsage, 'model'>): UsageSums {
  return {
    inputTokens: sum.inputTokens + usage.inputTokens,
    outputTokens: sum.outputTokens + usage.outputTokens,
    cacheReadTokens: sum.cacheReadTokens + usage.cacheReadTokens,
    cacheWriteTokens: sum.cacheWriteTokens + usage.cacheWriteTokens,
    costUsd: sum.costUsd === null || usage.costUsd === null ? null : sum.costUsd + usage.costUsd,
    apiMs: sum.apiMs + usage.apiMs,
    turns: sum.turns + usage.turns,
  };
}

export function usageRowOf(total: UsageTotal): UsageRow {
  return {
    key: total.key,
    inputTokens: total.inputTokens,
    outputTokens: total.outputTokens,
    cacheReadTokens: total.cacheReadTokens,
    cacheWriteTokens: total.cacheWriteTokens,
    costUsd: total.costUsd,
    apiMs: total.apiMs,
    turns: total.turns,
    records: total.records,
    unknownCostRecords: total.unknownCostRecords,
  };
}
