import type { Finding, GuardRule } from '../finding.ts';
import { compareSettings } from '../runner-config/compare-settings.ts';
import { isRunnerConfigFile, runnerSettingsOf } from '../runner-config/runner-config-files.ts';
import { oneLine } from './describe.ts';

/**
 * The test runner's configuration now runs fewer tests or lets failures pass: a jest/vitest config, the
 * test scripts of package.json, pytest options, conftest.py ignores, a Makefile test target, Cargo.toml
 * test switches. Running more tests, reformatting or reordering is not reported.
 */
export const runnerConfigNarrowed: GuardRule = {
  id: 'runner-config-narrowed',
  reads: isRunnerConfigFile,
  check({ base, changed }) {
    return changed.flatMap((file) => {
      if (!isRunnerConfigFile(file.path)) return [];
      const narrowings = compareSettings(
        runnerSettingsOf(file.path, file.before),
        runnerSettingsOf(file.path, file.after),
      );
      return narrowings.map(
        (narrowing): Finding => ({
          rule: this.id,
          path: file.path,
          line: narrowing.line ?? (file.after === undefined ? narrowing.baseLine : undefined) ?? 1,
          severity: narrowing.certain ? 'block' : 'warn',
          message:
            `\`${narrowing.setting}\`${narrowing.effect.startsWith('`') ? ':' : ''} ${narrowing.effect} ` +
            `(${base}: ${oneLine(narrowing.before)}; now: ` +
            `${oneLine(narrowing.after)}). ` +
            (file.before === undefined
              ? `Delete ${file.path}: it is not in ${base}.`
              : `Restore it: git checkout ${base} -- ${file.path}`),
        }),
      );
    });
  },
};
