import type { GuardConfig, GuardPolicy } from '../config/guard-schema.ts';
import type { Finding } from './finding.ts';

/**
 * The findings of rule `ruleId` under its policy in `guard.rules`: `off` drops them, `warn`/`ask`/`revert`
 * take the place of `block` (a rule's own warnings stay warnings). A small module of its own: the Stop hook
 * applies the policy of its `ignored-runner-file` findings without loading the rules.
 */
export function withRulePolicy(findings: Finding[], rules: GuardConfig['rules'], ruleId: string): Finding[] {
  return withPolicy(findings, rules[ruleId as keyof GuardConfig['rules']]);
}

function withPolicy(findings: Finding[], policy: GuardPolicy | undefined): Finding[] {
  if (policy === 'off') return [];
  if (policy === undefined || policy === 'block') return findings;
  return findings.map((finding) => (finding.severity === 'block' ? { ...finding, severity: policy } : finding));
}
