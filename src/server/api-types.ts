/**
 * The contract between `sluice serve` and the web front end: routes, request bodies, responses and the
 * server-sent events. Plain types and a few string constants, no imports, so web/ can import this file
 * as it is. Changes are additive only: fields are added, never renamed or removed.
 *
 * Conventions
 * - Every response is JSON (`/api/events` is `text/event-stream`). Times are ISO 8601 UTC strings, money
 *   is US dollars (`null` when unknown), durations are milliseconds unless the name says minutes.
 * - Errors: any 4xx/5xx answers `ApiError`. 400 malformed request, 401 no/wrong token, 403 foreign
 *   Host/Origin or cross-site request, 404 unknown run/task/item, 409 the state does not allow it (e.g.
 *   nothing waiting for review), 413 body too large, 500 a bug (message only, never a stack).
 * - Changing requests (POST) need the token: header `x-sluice-token: <token>`, or the `sluice_token`
 *   cookie the server sets when the page is opened with `?token=<token>` (the URL `sluice serve` prints
 *   and `--open` opens). POST bodies are `application/json`. `GET /api/session` says whether the
 *   browser holds a valid token (`canChange`); a page without it is read-only.
 *
 * Routes (all under the server's own origin)
 *   GET  /api/session                                  -> SessionInfo
 *   GET  /api/overview                                 -> Overview
 *   GET  /api/runs?status=<RunStatus>&limit=<n>        -> RunList            (newest first, limit default 200, max 1000)
 *   GET  /api/runs/:runId                              -> RunDetail
 *   GET  /api/runs/:runId/diff?iteration=<n>           -> DiffResponse       (no iteration: the whole change)
 *   GET  /api/runs/:runId/log?iteration=<n>&offset=<b> -> LogTail            (no iteration: the latest one)
 *   POST /api/runs/:runId/cancel        {}             -> CancelResult
 *   GET  /api/review?all=1                             -> ReviewQueue        (waiting items; all=1 adds decided rounds)
 *   GET  /api/review/:runId                            -> ReviewItemDetail   (latest round)
 *   POST /api/review/:runId/approve     ApproveRequest -> ApproveResult
 *   POST /api/review/:runId/reject      RejectRequest  -> DecisionResult
 *   POST /api/review/:runId/changes     ChangesRequest -> DecisionResult
 *   POST /api/review/:runId/heartbeat   HeartbeatRequest -> HeartbeatResult
 *   GET  /api/tasks                                    -> TaskList
 *   POST /api/tasks                     AddTaskRequest -> TaskView           (201)
 *   POST /api/tasks/reorder             ReorderTasksRequest -> TaskList
 *   POST /api/tasks/:taskId/cancel      {}             -> TaskView
 *   GET  /api/usage?days=<n>                           -> UsageReport        (days default 30, max 366)
 *   GET  /api/gym                                      -> GymTrend
 *   GET  /api/approvals                                -> ApprovalList       (workflow steps waiting for a human)
 *   POST /api/workflows/:workflowId/steps/:stepId/approve  DecideApprovalRequest -> ApprovalDecisionView
 *   POST /api/workflows/:workflowId/steps/:stepId/reject   DecideApprovalRequest -> ApprovalDecisionView (reason required)
 *   GET  /api/events?run=<runId>                       -> text/event-stream  (see SseEventMap)
 *
 * The approval routes are also the webhook: `Authorization: Bearer <token>` is accepted as well as the
 * x-sluice-token header (docs/workflows.md has the curl call).
 */

export const apiTokenHeader = 'x-sluice-token';
export const apiTokenCookie = 'sluice_token';
export const apiTokenQueryParam = 'token';

export type RunStatus = 'running' | 'done' | 'blocked' | 'budget-exhausted' | 'failed' | 'cancelled';
export type TaskStatus = 'queued' | 'running' | 'review' | 'rework' | 'landed' | 'rejected' | 'blocked';
export type ReviewStatus = 'waiting' | 'landed' | 'rejected' | 'changes-requested' | 'land-failed';
export type GateStatus = 'passed' | 'failed' | 'timed-out' | 'skipped' | 'cached';
export type AgentTurnStatus = string;

export interface ApiError {
  error: {
    /** Stable machine code, e.g. BAD_JSON, BAD_REQUEST, UNAUTHORIZED, FORBIDDEN_ORIGIN, NOT_FOUND, CONFLICT. */
    code: string;
    message: string;
  };
}

export interface SessionInfo {
  version: string;
  /** The repository root and the folder of sluice.yaml (relative to it; '' at the root). */
  repoRoot: string;
  configDir: string;
  /** The browser sent a valid token (header or cookie): changing requests will be accepted. */
  canChange: boolean;
  /** `sluice serve --work`: the dispatcher runs in this server's process. */
  dispatcherInProcess: boolean;
  serverTime: string;
}

// ---------- runs ----------

export interface UsageSums {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** Null when any summed record's cost was unknown. */
  costUsd: number | null;
  apiMs: number;
  turns: number;
}

export interface RunSummary {
  id: string;
  goal: string;
  agent: string;
  model: string | null;
  status: RunStatus;
  reason: string | null;
  branch: string;
  baseRef: string;
  taskId: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
  /** Iterations started so far. */
  iterations: number;
  /** The latest iteration's check verdict, when it was judged. */
  lastVerdict: 'passed' | 'failed' | null;
  costUsd: number | null;
  /** The latest review round, if the run was ever queued. */
  review: { round: number; status: ReviewStatus } | null;
}

export interface RunList {
  runs: RunSummary[];
}

export interface GateView {
  name: string;
  kind: string;
  tier: number;
  blocking: boolean;
  status: GateStatus;
  durationMs: number;
  exitCode: number | null;
  reason: string | null;
  /** Failures as the report parser read them (file, line, message...). */
  failures: Array<{ file?: string; line?: number; test?: string; message: string }>;
  counts: { passed?: number; failed?: number; skipped?: number; total?: number } | null;
  outputTail: string[] | null;
}

export interface GuardFindingView {
  rule: string;
  path: string;
  line: number;
  /** block | revert | ask | warn */
  severity: string;
  message: string;
}

export interface IterationView {
  number: number;
  status: 'running' | 'finished';
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  promptChars: number;
  agent: { status: AgentTurnStatus | null; exitCode: number | null; reason: string | null };
  commitSha: string | null;
  filesChanged: number | null;
  insertions: number | null;
  deletions: number | null;
  checkVerdict: 'passed' | 'failed' | null;
  gates: GateView[];
  guardFindings: GuardFindingView[];
  /** Paths the guard restored from the base after this turn. */
  guardReverted: string[];
  /** The feedback this iteration produced: what the agent received as input for the next one. */
  feedbackSent: string | null;
  /** The reviewer's words this iteration started from (a changes request), when any. */
  reviewerFeedback: string | null;
  usage: UsageSums & { models: string[] };
}

export interface RunEventView {
  seq: number;
  type: string;
  at: string;
  payload: unknown;
}

export interface RunDetail {
  run: RunSummary & {
    baseCommit: string;
    worktreePath: string;
    /** Acceptance commands the run was given. */
    acceptance: string[];
  };
  iterations: IterationView[];
  usage: UsageSums;
  /** Every review round of the run, oldest first. */
  reviews: ReviewRound[];
  /** The run's own log (last 500 entries). */
  events: RunEventView[];
  /** The run can be cancelled from here (running, and driven by a process we can reach). */
  cancellable: boolean;
}

export interface DiffFile {
  path: string;
  oldPath: string | null;
  /** added | modified | deleted | renamed | copied | type-changed ... (git's letters spelled out) */
  status: string;
  insertions: number;
  deletions: number;
  binary: boolean;
}

export interface DiffResponse {
  runId: string;
  /** null for the whole change. */
  iteration: number | null;
  from: string;
  to: string;
  files: DiffFile[];
  /** Unified diff (git diff -M, 3 lines of context), ready for diff2html / @git-diff-view. */
  patch: string;
  /** The patch was cut at 2 MB. */
  truncated: boolean;
}

export interface LogTail {
  runId: string;
  iteration: number | null;
  /** Byte offset the text starts at, and where to ask from next time. */
  offset: number;
  nextOffset: number;
  /** At most 64 kB, from `offset` (or the last 64 kB when offset is absent). */
  text: string;
  /** The iteration is still running: more may come (also pushed as `log` events). */
  live: boolean;
}

export type CancelResult =
  | { status: 'cancelling'; runId: string; how: 'in-process' | 'signal' }
  | { status: 'cancelled'; runId: string; how: 'stale' };

// ---------- review ----------

export interface ReviewRound {
  round: number;
  status: ReviewStatus;
  reviewMinutes: number;
  costExplanation: string;
  headCommit: string;
  createdAt: string;
  decidedAt: string | null;
  decisionNote: string | null;
  landedCommit: string | null;
  /** Active reviewer time recorded by the review page, in minutes; null when never measured. */
  activeMinutes: number | null;
}

export interface ReviewQueueItem extends ReviewRound {
  runId: string;
  taskId: string | null;
  goal: string;
  branch: string;
  runStatus: RunStatus;
  /** Same change measured now: files and lines. */
  filesChanged: number;
  insertions: number;
  deletions: number;
  /** Guard findings of the last iteration that asked a human (severity ask/warn). */
  guardFindings: number;
}

export interface ReviewCapacityView {
  minutesPerDay: number;
  /** measured-active: from the reviewers' recorded active minutes. */
  source: 'configured' | 'measured' | 'measured-active' | 'default';
  explanation: string;
}

/** How the estimates compare with the review time measured in the page. */
export interface ReviewCalibration {
  /** Decisions with measured time in the window. */
  decisions: number;
  estimatedMinutes: number;
  observedMinutes: number;
  /** observed / estimated: 1.4 means estimates are 1.4x low. */
  ratio: number;
  /** 'week' (last 7 days) or 'all' (no measured decision this week). */
  window: 'week' | 'all';
  /** e.g. "estimates are 1.4x low this week (5 decisions: 42 min observed, 30 min estimated)". */
  sentence: string;
}

export interface ReviewQueue {
  items: ReviewQueueItem[];
  waitingMinutes: number;
  /** waitingMinutes x calibration ratio, when calibrated. */
  calibratedWaitingMinutes: number | null;
  capacity: ReviewCapacityView;
  calibration: ReviewCalibration | null;
}

export interface ReviewItemDetail {
  item: ReviewQueueItem;
  rounds: ReviewRound[];
  /** evidence.md of the run; null when missing. */
  evidenceMarkdown: string | null;
  /** evidence.json of the run, as written by Sluice; null when missing. */
  evidence: unknown;
  /** The gates of the last judged iteration. */
  gates: GateView[];
  guardFindings: GuardFindingView[];
  diff: DiffResponse;
}

export interface ApproveRequest {
  /** Land on this branch when the run's base ref is not a branch. */
  onto?: string;
  /** Active review ms not yet sent by heartbeat (optional). */
  activeMs?: number;
}

export interface RejectRequest {
  reason: string;
  activeMs?: number;
}

export interface ChangesRequest {
  feedback: string;
  activeMs?: number;
}

/** Same outcomes as `sluice review approve`; only landed / pull-request took the change in. Nothing is lost in any case. */
export type ApproveResult =
  | { status: 'landed'; base: string; commit: string; mode: 'squash' | 'fast-forward' | 'already-there' }
  | { status: 'pull-request'; base: string; url: string }
  | { status: 'conflict'; base: string; files: string[]; note: string }
  | { status: 'gates-failed'; base: string; note: string; sentBack: boolean }
  | { status: 'not-landed'; base: string; note: string }
  | { status: 'cancelled'; base: string };

export interface DecisionResult {
  runId: string;
  round: ReviewRound;
}

export interface HeartbeatRequest {
  /** Active ms since the previous heartbeat (page visible, focused, input in the last minute). */
  activeMs: number;
}

export interface HeartbeatResult {
  runId: string;
  round: number;
  /** Total active ms recorded for the waiting round. */
  activeMs: number;
}

// ---------- tasks ----------

export interface TaskView {
  id: string;
  goal: string;
  accept: string[];
  priority: number;
  status: TaskStatus;
  source: string;
  runId: string | null;
  /** Why it waits (admission's reason for queued tasks; the blocking note for blocked ones). */
  waitReason: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface TaskList {
  /** Queue order for queued tasks (priority, then position); other statuses after. */
  tasks: TaskView[];
}

export interface AddTaskRequest {
  goal: string;
  /** Acceptance commands that must pass (default none). */
  accept?: string[];
  /** Higher starts first (default 0). */
  priority?: number;
}

export interface ReorderTasksRequest {
  /** Queued task ids in the wanted order; a task may get its priority raised to stay above later ones. */
  ids: string[];
}

// ---------- overview ----------

export interface Overview {
  running: RunSummary[];
  /** Queued and rework tasks, with why each waits. */
  waiting: TaskView[];
  inReview: { count: number; minutes: number; calibratedMinutes: number | null };
  today: { done: number; blocked: number; failed: number; landed: number };
  spend: { todayUsd: number; budgetUsd: number | null; unknownCostRecords: number };
  review: {
    /** Waiting review minutes as admission counts them: real minutes (estimates x calibration) once calibrated. */
    waitingMinutes: number;
    inFlightMinutes: number;
    limitMinutes: number;
    capacity: ReviewCapacityView;
    calibration: ReviewCalibration | null;
  };
  /** Nothing recorded yet: the page shows how to start (e.g. `sluice run "<goal>"`). */
  empty: boolean;
  firstCommand: string;
}

// ---------- usage and gym ----------

export interface UsageRow extends UsageSums {
  /** Model name, UTC day (YYYY-MM-DD) or run id. */
  key: string;
  records: number;
  unknownCostRecords: number;
}

export interface UsageReport {
  since: string;
  total: UsageSums;
  byModel: UsageRow[];
  byDay: UsageRow[];
  /** Newest runs first, at most 200; `goal` of the run for labels. */
  byRun: Array<UsageRow & { goal: string }>;
}

export interface GymPoint {
  at: string;
  median: number;
  interval: [number, number];
  runId: string | null;
  iteration: number | null;
  commit: string | null;
}

export interface GymSeries {
  gate: string;
  metric: string;
  unit: string | null;
  better: 'lower' | 'higher';
  /** Goals as written, and their absolute bound when it is one ("ratio" goals have no line). */
  goals: Array<{ text: string; op: '<' | '<=' | '>' | '>=' | null; bound: number | null; ratio: boolean }>;
  points: GymPoint[];
}

export interface GymTrend {
  series: GymSeries[];
}

// ---------- workflow approvals ----------

/** An `approve` step of a workflow run, parked until a human decides. */
export interface ApprovalView {
  /** The workflow run that holds the step (a nested one has its own id). */
  workflowId: string;
  workflowName: string;
  /** The outermost workflow run: the one a decision drives on. */
  rootWorkflowId: string;
  stepId: string;
  /** The step's `name:`, when it has one. */
  stepName: string | null;
  /** The step's `message:`, resolved. */
  message: string | null;
  /** What the step shows, as written once resolved: a file, a report or a git diff range. */
  show: { kind: 'file' | 'report' | 'diff'; target: string } | null;
  /** That thing as text (at most 20,000 characters, then how much more there is); '' when it shows nothing. */
  material: string;
  waitingSince: string;
  /** `approve.timeout` after waitingSince; null without a timeout. */
  expiresAt: string | null;
  /** Past expiresAt: a decision is refused (409 EXPIRED) and the step fails as expired. */
  expired: boolean;
}

export interface ApprovalList {
  /** Oldest first. */
  approvals: ApprovalView[];
}

export interface DecideApprovalRequest {
  /** Why; required to reject. Kept with the decision as steps.<id>.outputs.reason. */
  reason?: string;
}

/** The decision is recorded; the workflow is driven on by `sluice workflow resume` started in the background. */
export interface ApprovalDecisionView {
  workflowId: string;
  stepId: string;
  decision: 'approved' | 'rejected';
  reason: string | null;
  /** The outermost workflow run, driven on by a process of its own, and the file its output goes to. */
  driving: { workflowId: string; log: string };
}

// ---------- server-sent events ----------

/** The store tables a `change` event can name. */
export type ChangedTable = 'runs' | 'iterations' | 'tasks' | 'review' | 'usage' | 'bench' | 'workflows';

/**
 * `/api/events` events by name (the SSE `event:` field); `data:` is the JSON payload. Pages refetch what
 * a `change` names; the stream is fed by polling the store every ~300 ms, so writes by other processes
 * (`sluice run`, `sluice work`) arrive too. `?run=<id>` adds `log` events for that run's live agent log.
 */
export interface SseEventMap {
  /** First event on every connection. */
  hello: { serverTime: string; version: string };
  /** Something changed; `runIds` are the runs whose record, iterations, gates or log changed. */
  change: { tables: ChangedTable[]; runIds: string[] };
  /** New entries in a run's log (iteration start/finish, gates, guard, review decisions...). */
  'run-event': { runId: string; seq: number; type: string; at: string };
  /** New text in the agent log of the run named by `?run=`. */
  log: { runId: string; iteration: number; offset: number; text: string };
  /** Every 15 s, so proxies and the page know the stream is alive. */
  ping: { serverTime: string };
}
export type SseEventName = keyof SseEventMap;
