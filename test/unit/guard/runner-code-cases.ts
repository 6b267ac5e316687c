import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/guard/finding.ts';
import { runnerCodeLoaded } from '../../../src/guard/rules/runner-code-loaded.ts';
import { contextForChange } from './changed-context.ts';

/** [what, path, before (undefined: new file), after (undefined: deleted), what the message must contain] */
export type LoadingCase = [string, string, string | undefined, string | undefined, string];
/** [what, path, before, after]: changes that load nothing new. */
export type QuietCase = [string, string, string | undefined, string | undefined];

export function findingsFor(path: string, before: string | undefined, after: string | undefined): Finding[] {
  return runnerCodeLoaded.check(contextForChange(path, before, after));
}

export const pkg = (scripts: Record<string, string>, more: Record<string, unknown> = {}) =>
  `${JSON.stringify({ name: 'shop', scripts, ...more }, null, 2)}\n`;
export const vitest = (test: string, top = '') =>
  `import { defineConfig } from 'vitest/config';\n\nexport default defineConfig({\n${top}  test: ${test},\n});\n`;
export const jest = (options: string) => `/** @type {import('jest').Config} */\nmodule.exports = ${options};\n`;

/** Each loading case blocks and says what to restore; each quiet case has no finding. */
export function describeCases(title: string, loading: readonly LoadingCase[], quiet: readonly QuietCase[]): void {
  describe(title, () => {
    it.each(loading)('blocks: %s', (_, path, before, after, expected) => {
      const findings = findingsFor(path, before, after);
      expect(findings.map((finding) => finding.severity)).toContain('block');
      const message = findings.map((finding) => finding.message).join('\n');
      expect(message).toContain(expected);
      expect(message).toContain(
        before === undefined ? `Delete ${path}: it is not in main.` : `Restore it: git checkout main -- ${path}`,
      );
    });

    it.each(quiet)('passes: %s', (_, path, before, after) => {
      expect(findingsFor(path, before, after)).toEqual([]);
    });
  });
}
