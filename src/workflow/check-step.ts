import { join, relative } from 'node:path';
import { findConfigFile, loadConfig } from '../config/config-file.ts';
import { SluiceError } from '../errors.ts';
import { compactFeedback } from '../gates/feedback/compact-feedback.ts';
import { isGatePass } from '../gates/gate-results.ts';
import { runGateGraph } from '../gates/run-gate-graph.ts';
import { JudgeCheckout } from '../judge/judge-checkout.ts';
import { resolveCommit } from '../workspace/refs.ts';
import { defaultWorktreesDir } from '../workspace/worktrees.ts';
import { StepError } from './step-error.ts';

export interface CheckStepInput {
  repoRoot: string;
  configRoot: string;
  /** Gate names, or every gate. */
  gates: 'all' | string[];
  /** Judge this ref in a clean checkout instead of the repository as it is. */
  commit?: string;
  /** Names the judge checkout, so two steps never share one. */
  label: string;
  signal: AbortSignal;
}

export interface CheckStepResult {
  passed: boolean;
  outputs: Record<string, string>;
  reason?: string;
}

/**
 * Run gates of sluice.yaml as `sluice check` does. With `commit`, the gates judge exactly that commit
 * in a clean checkout of Sluice's own (its sluice.yaml comes from the repository, not from the commit).
 */
export async function runCheckStep(input: CheckStepInput): Promise<CheckStepResult> {
  const configPath = findConfigFile(input.configRoot);
  if (!configPath) throw new StepError(`no sluice.yaml in ${input.configRoot}`);
  const { config } = await loadConfig(configPath);
  const only = input.gates === 'all' ? [] : input.gates;
  const unknown = only.filter((name) => !Object.hasOwn(config.gates, name));
  if (unknown.length > 0) {
    throw new StepError(`no gate ${unknown.join(', ')} in sluice.yaml; gates: ${Object.keys(config.gates).join(', ')}`);
  }
  let checkout: JudgeCheckout | undefined;
  try {
    let root = input.configRoot;
    if (input.commit !== undefined) {
      const commit = await resolveCommit(input.repoRoot, input.commit).catch(() => {
        throw new StepError(`no commit "${input.commit}" in ${input.repoRoot}`);
      });
      checkout = new JudgeCheckout({
        repoRoot: input.repoRoot,
        path: join(defaultWorktreesDir(input.repoRoot), '.judge', `workflow-${input.label}`),
        configDir: relative(input.repoRoot, input.configRoot),
        setup: config.setup,
        logDir: join(input.configRoot, '.sluice', 'logs'),
        signal: input.signal,
      });
      root = (await checkout.prepare(commit)).root;
    }
    const result = await runGateGraph({
      config,
      root,
      only,
      useCache: checkout === undefined,
      signal: input.signal,
      ...(checkout ? { baselinesDir: checkout.baselinesDir } : {}),
    });
    const failed = result.gates.filter((gate) => gate.blocking && !isGatePass(gate.status));
    const outputs = {
      verdict: result.verdict,
      failed: failed.map((gate) => gate.name).join(','),
      feedback: result.verdict === 'passed' ? '' : compactFeedback(result, { budget: config.feedback.budget }),
    };
    if (result.cancelled) return { passed: false, outputs, reason: 'cancelled' };
    return result.verdict === 'passed'
      ? { passed: true, outputs }
      : { passed: false, outputs, reason: `gates failed: ${outputs.failed || 'see feedback'}` };
  } catch (error) {
    if (error instanceof SluiceError && !(error instanceof StepError)) throw new StepError(error.message);
    throw error;
  } finally {
    await checkout?.remove();
  }
}
