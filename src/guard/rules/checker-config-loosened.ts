import { changedConfigurations, isCheckerConfigFile } from '../checker-config/checker-config-files.ts';
import { compareCheckerSettings } from '../checker-config/compare-checker-settings.ts';
import type { Finding, GuardRule } from '../finding.ts';
import { oneLine } from './describe.ts';

/**
 * The change loosens a linter's or type checker's configuration instead of fixing the code it reports:
 * tsconfig `strict` off, an ESLint or Biome rule turned off or down to a warning, ruff/flake8 codes ignored,
 * mypy `ignore_errors`, a pyright mode lowered, golangci-lint linters disabled, Cargo lints allowed, files
 * excluded from the check. Tightening, reformatting, reordering or moving a setting between the files of one
 * folder is not reported. A configuration new to the repository (no config of that checker at the base, here
 * or in a folder above) is judged against the checker's defaults, and only warns.
 */
export const checkerConfigLoosened: GuardRule = {
  id: 'checker-config-loosened',
  reads: isCheckerConfigFile,
  // Whether the base configured the checker at all (here or in a folder above) decides block or warn.
  readsAtBase(changed) {
    return changed.some((file) => isCheckerConfigFile(file.path)) ? isCheckerConfigFile : undefined;
  },
  check({ base, changed, unchangedAtBase }) {
    const files = changed.filter((file) => isCheckerConfigFile(file.path));
    if (files.length === 0) return [];
    return changedConfigurations(files, unchangedAtBase).flatMap((configuration) =>
      compareCheckerSettings(configuration.before, configuration.after, configuration.path).map(
        (loosening): Finding => {
          const file = files.find((candidate) => candidate.path === loosening.path);
          const isNew = file?.before === undefined;
          const firstConfig = configuration.configuredAtBase
            ? ''
            : ` ${base} had no ${configuration.checker} config here or above: if it ran on its defaults, this hides what it reported.`;
          const deleted = configuration.deleted
            ? ' (its config is deleted: a warning, in case the code it checked went too)'
            : '';
          return {
            rule: 'checker-config-loosened',
            path: loosening.path,
            line: loosening.line,
            severity: loosening.certain && configuration.configuredAtBase && !configuration.deleted ? 'block' : 'warn',
            message:
              `\`${loosening.setting}\` ${loosening.effect} (${base}: ${oneLine(loosening.before)}; now: ` +
              `${oneLine(loosening.after)}): ${configuration.checker} reports less, and passes with the errors still ` +
              `in the code${deleted}.${firstConfig} Fix the code, and ` +
              (isNew
                ? `take the setting out of ${loosening.path}.`
                : `restore the setting: git checkout ${base} -- ${loosening.path}`),
          };
        },
      ),
    );
  },
};
