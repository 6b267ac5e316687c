import { dirname, resolve } from 'node:path';
import { initConfig } from '../../config/init/init-config.ts';
import { ejectBuiltinWorkflow } from '../../workflow/builtin-workflows.ts';
import { repositoryDirFlag } from '../command-declaration.ts';
import { declareCommand } from '../declare-command.ts';
import { writeError, writeOut } from '../output/write.ts';

/** `sluice init`: write sluice.yaml from what the repository shows, and say what was guessed. */
export const command = declareCommand({
  name: 'init',
  description:
    'Detect the stack (package.json scripts, tsconfig, test runners, linters, formatters, pytest,\ngo.mod, Cargo.toml, Makefile) and write a commented sluice.yaml with gates, inputs and tiers.\nA script that chains tools (`eslint . && vitest run`) gets one gate per tool.',
  flags: {
    dir: repositoryDirFlag,
    force: { type: 'boolean', description: 'Overwrite an existing sluice.yaml' },
    'dry-run': { type: 'boolean', description: 'Print the sluice.yaml and where each gate came from; write nothing' },
    workflows: {
      type: 'boolean',
      description:
        'Also copy the built-in workflows (plan) to .sluice/workflows/ to change them; with a sluice.yaml already there, only that',
    },
  },
  async run(values) {
    const dryRun = values['dry-run'] ?? false;
    const result = await initConfig({ dir: resolve(values.dir ?? '.'), force: values.force ?? false, dryRun });
    switch (result.status) {
      case 'exists':
        if (values.workflows && !dryRun) {
          writeOut(await addWorkflows(result.path));
          return 0;
        }
        writeError(`sluice: ${result.path} exists; run "sluice init --force" to overwrite it`);
        return 2;
      case 'written':
      case 'nothing-found': {
        for (const warning of result.warnings) writeError(`sluice: warning: ${warning}`);
        if (result.dryRun) {
          writeOut(dryRunText(result.path, result.text, result.gates));
          return 0;
        }
        const lines = result.actions.map((action) => action.charAt(0).toUpperCase() + action.slice(1));
        if (result.found.length > 0) lines.push('', 'Found:', ...result.found.map((line) => `  ${line}`));
        if (result.guessed.length > 0)
          lines.push('', 'Guessed (check these):', ...result.guessed.map((line) => `  ${line}`));
        if (values.workflows) lines.push(await addWorkflows(result.path));
        lines.push('', 'Next: sluice check');
        writeOut(lines.join('\n'));
        return 0;
      }
    }
  },
});

export const run = command.run;

/** `--workflows`: the built-in plan workflow beside sluice.yaml, a copy there already kept. */
async function addWorkflows(configPath: string): Promise<string> {
  const ejected = await ejectBuiltinWorkflow(dirname(configPath), 'plan');
  return ejected.written
    ? `Wrote ${ejected.path} ("sluice plan" runs it; change it as you like)`
    : `Kept ${ejected.path} (it is there already)`;
}

/**
 * What `--dry-run` prints: the file that would be written, then one line per gate with its source. The format is
 * stable (scripts read it): a `Would write <path>:` line, the YAML, then `Gates:` and `  <name>: <why>` lines.
 */
function dryRunText(path: string, text: string, gates: ReadonlyArray<{ name: string; why: string }>): string {
  const origins = gates.map((gate) => `  ${gate.name}: ${gate.why}`);
  return [
    `Would write ${path}:`,
    '',
    text.trimEnd(),
    '',
    'Gates:',
    ...origins,
    '',
    'Nothing written (--dry-run).',
  ].join('\n');
}
