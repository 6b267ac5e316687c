// The library API: what `import { … } from 'sluice'` offers.
export { initConfig } from './config/init/init-config.ts';
export { configJsonSchema } from './config/json-schema.ts';
export { findConfigFile, type LoadedConfig, loadConfig, parseConfigText } from './config/load-config.ts';
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
