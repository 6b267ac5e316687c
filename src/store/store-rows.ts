// Between the snake_case rows of schema.ts and the camelCase records of run-records.ts.
import type { Selectable } from 'kysely';
import type { GateResult } from '../gates/gate-results.ts';
import type { ModelUsage } from '../usage/model-usage.ts';
import type { IterationRecord, RecordedGateResult, RunEvent, RunRecord } from './run-records.ts';
import type { GateResultsTable, IterationsTable, RunEventsTable, RunsTable, UsageTable } from './schema.ts';

type RunRow = Selectable<RunsTable>;
type IterationRow = Selectable<IterationsTable>;
type GateResultRow = Selectable<GateResultsTable>;
type RunEventRow = Selectable<RunEventsTable>;

/** Null in SQL is an absent property in TypeScript. */
function optional<T>(value: T | null): T | undefined {
  return value ?? undefined;
}

/** Parse JSON text the store itself wrote. */
function parseStored<T>(text: string): T {
  return JSON.parse(text) as T;
}

/** A `runs` row as a RunRecord. */
export function toRunRecord(row: RunRow): RunRecord {
  return {
    id: row.id,
    goal: row.goal,
    agent: row.agent,
    model: optional(row.model),
    repoRoot: row.repo_root,
    baseRef: row.base_ref,
    baseCommit: row.base_commit,
    branch: row.branch,
    worktreePath: row.worktree_path,
    status: row.status,
    reason: optional(row.reason),
    options: parseStored<Record<string, unknown>>(row.options_json),
    pid: optional(row.pid),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: optional(row.finished_at),
  };
}

/** An `iterations` row as an IterationRecord. */
export function toIterationRecord(row: IterationRow): IterationRecord {
  return {
    runId: row.run_id,
    number: row.number,
    status: row.status,
    promptChars: row.prompt_chars,
    sessionId: optional(row.session_id),
    agentStatus: optional(row.agent_status),
    agentExitCode: optional(row.agent_exit_code),
    agentReason: optional(row.agent_reason),
    commitSha: optional(row.commit_sha),
    filesChanged: optional(row.files_changed),
    insertions: optional(row.insertions),
    deletions: optional(row.deletions),
    checkVerdict: optional(row.check_verdict),
    failureSignature: optional(row.failure_signature),
    feedback: optional(row.feedback),
    startedAt: row.started_at,
    finishedAt: optional(row.finished_at),
  };
}

/** A GateResult as a `gate_results` row. */
export function toGateResultRow(
  runId: string,
  iteration: number,
  position: number,
  gate: GateResult,
  recordedAt: string,
): GateResultRow {
  return {
    run_id: runId,
    iteration,
    position,
    name: gate.name,
    kind: gate.kind,
    tier: gate.tier,
    blocking: gate.blocking ? 1 : 0,
    status: gate.status,
    duration_ms: gate.durationMs,
    exit_code: gate.exitCode ?? null,
    reason: gate.reason ?? null,
    log_path: gate.logPath ?? null,
    counts_json: gate.counts ? JSON.stringify(gate.counts) : null,
    failures_json: JSON.stringify(gate.failures),
    output_tail_json: gate.outputTail ? JSON.stringify(gate.outputTail) : null,
    problems_json: JSON.stringify(gate.problems),
    recorded_at: recordedAt,
  };
}

/** A `gate_results` row as the GateResult it was recorded from. */
export function toRecordedGateResult(row: GateResultRow): RecordedGateResult {
  return {
    runId: row.run_id,
    iteration: row.iteration,
    name: row.name,
    kind: row.kind,
    tier: row.tier,
    blocking: row.blocking === 1,
    status: row.status,
    durationMs: row.duration_ms,
    exitCode: optional(row.exit_code),
    reason: optional(row.reason),
    logPath: optional(row.log_path),
    failures: parseStored(row.failures_json),
    counts: row.counts_json === null ? undefined : parseStored(row.counts_json),
    outputTail: row.output_tail_json === null ? undefined : parseStored(row.output_tail_json),
    problems: parseStored(row.problems_json),
  };
}

/** A ModelUsage as a `usage` row. */
export function toUsageRow(
  runId: string,
  iteration: number,
  seq: number,
  usage: ModelUsage,
  recordedAt: string,
): Selectable<UsageTable> {
  return {
    run_id: runId,
    seq,
    iteration,
    model: usage.model,
    input_tokens: usage.inputTokens,
    output_tokens: usage.outputTokens,
    cache_read_tokens: usage.cacheReadTokens,
    cache_write_tokens: usage.cacheWriteTokens,
    cost_usd: usage.costUsd,
    api_ms: usage.apiMs,
    turns: usage.turns,
    recorded_at: recordedAt,
  };
}

/** A `run_events` row as a RunEvent. */
export function toRunEvent(row: RunEventRow): RunEvent {
  return {
    runId: row.run_id,
    seq: row.seq,
    type: row.type,
    at: row.at,
    payload: parseStored<unknown>(row.payload_json),
  };
}
