// The library API: what `import { … } from 'sluice'` offers.

export type { AgentAdapter, AgentTurn, AgentTurnResult, AgentTurnStatus } from './agents/agent-adapter.ts';
export { ClaudeCodeAgent } from './agents/claude-code/claude-code-agent.ts';
export { createCodexAdapter } from './agents/codex/codex-adapter.ts';
export { CommandAgent } from './agents/command/command-agent.ts';
export { findConfigFile, type LoadedConfig, loadConfig } from './config/config-file.ts';
export { initConfig } from './config/init/init-config.ts';
export { configJsonSchema } from './config/json-schema.ts';
export { parseConfigText } from './config/load-config.ts';
export {
  configSchema,
  type GateConfig,
  type GateKind,
  gateKinds,
  type ReportFormat,
  reportFormats,
  type SluiceConfig,
} from './config/schema.ts';
export { ConfigError, SluiceError, UsageError } from './errors.ts';
export type { CheckEvent, CheckEventListener } from './gates/check-events.ts';
export { compactFeedback, type FeedbackOptions } from './gates/feedback/compact-feedback.ts';
export {
  type CheckResult,
  type CheckVerdict,
  type GateResult,
  type GateStatus,
  gateStatuses,
  isGatePass,
} from './gates/gate-results.ts';
export { parseReport } from './gates/reports/parse-report.ts';
export type { Failure, ParsedReport, TestCounts } from './gates/reports/report-types.ts';
export { type RunGateGraphOptions, runGateGraph } from './gates/run-gate-graph.ts';
export type { Budgets } from './loop/budgets.ts';
export { driveRun, type RunSummary } from './loop/drive-run.ts';
export { resumeRun } from './loop/resume-run.ts';
export { loadBaseConfig } from './loop/run-config.ts';
export type { RunLoopEvent } from './loop/run-loop.ts';
export { type RunVerdict, runVerdicts } from './loop/run-verdicts.ts';
export { startRun } from './loop/start-run.ts';
export { newRunId } from './store/run-id.ts';
export type { IterationRecord, RunRecord, UsageTotal } from './store/run-records.ts';
export { RunStore, runStorePath } from './store/run-store.ts';
export { formatUsageLine } from './usage/format-usage.ts';
export type { ModelUsage } from './usage/model-usage.ts';
export { costOf, priceTable } from './usage/pricing.ts';
