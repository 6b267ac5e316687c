import { type CommandSetting, SettingKinds } from './runner-setting.ts';

/** One `NAME=value` an environment file or setting gives the test processes. */
export interface EnvironmentAssignment {
  name: string;
  value: string;
  line: number;
}

/**
 * Variables a runner reads as options, with the command that reads them: `PYTEST_ADDOPTS='-k x'` is
 * `pytest -k x`, `GOFLAGS=-run=X` is `go test -run=X`, `PYTHONOPTIMIZE=1` is `python -O` (asserts compiled out
 * in every module pytest does not rewrite: the code under test, helpers, and tests run by unittest).
 */
const optionVariables: Record<string, readonly string[]> = {
  PYTEST_ADDOPTS: ['pytest'],
  GOFLAGS: ['go', 'test'],
  PYTHONOPTIMIZE: ['python'],
};

/**
 * The settings of the variables in `assignments` that change what a runner runs, each compared as the command
 * that reads it (so `PYTEST_ADDOPTS='-k x'` gains `-k`); named `<where> <variable>`. `applies` says whether it
 * reaches the runner for certain (`false`: pytest-env sets it after pytest read its own options).
 */
export function environmentSettings(
  where: string,
  assignments: readonly EnvironmentAssignment[],
  applies = true,
): CommandSetting[] {
  return assignments.flatMap(({ name, value, line }): CommandSetting[] => {
    const program = optionVariables[name];
    if (!program) return [];
    const assignment = `${name}=${value}`;
    return [
      {
        kind: SettingKinds.command,
        name: where === '' ? name : `${where} ${name}`,
        line,
        text: assignment,
        commands: [{ words: [assignment, ...program], maskedBy: undefined }],
        unset: [{ words: [...program], maskedBy: undefined }],
        ...(applies ? {} : { uncertain: true }),
      },
    ];
  });
}

/** `KEY=value` lines (pytest-env's `D:` and `R:` prefixes allowed), as in tox's `setenv` and pytest-env's `env`. */
export function assignmentLines(lines: readonly string[], line: number): EnvironmentAssignment[] {
  return lines.flatMap((text) => {
    const pair = /^(?:[DR]:)?\s*([A-Za-z_]\w*)\s*=\s*(.*)$/.exec(text.trim());
    return pair ? [{ name: pair[1] ?? '', value: unquoted(pair[2] ?? ''), line }] : [];
  });
}

/** The assignments of a dotenv file: `KEY=value`, `export KEY="value"`, `KEY=value # note`. */
export function dotenvAssignments(source: string): EnvironmentAssignment[] {
  return source.split(/\r?\n/).flatMap((text, index) => {
    const pair = /^\s*(?:export\s+)?([A-Za-z_]\w*)\s*=\s*(.*)$/.exec(text);
    if (!pair) return [];
    const raw = (pair[2] ?? '').trim();
    const value = /^["'`]/.test(raw) ? unquoted(raw) : raw.replace(/\s+#.*$/, '');
    return [{ name: pair[1] ?? '', value: value.trim(), line: index + 1 }];
  });
}

/**
 * The variables a noxfile gives its sessions: `session.env["PYTEST_ADDOPTS"] = "-k x"` and
 * `env={"PYTEST_ADDOPTS": "-k x"}` (a dict literal), for upper-case names given a literal value; read without
 * running Python.
 */
export function noxfileAssignments(source: string): EnvironmentAssignment[] {
  if (!/env/i.test(source)) return [];
  const found: EnvironmentAssignment[] = [];
  const pattern =
    /(["'])([A-Z_][A-Z0-9_]*)\1\s*(?:\]\s*=|:)\s*[rRuU]?(?:"""([\s\S]*?)"""|'''([\s\S]*?)'''|"([^"\n]*)"|'([^'\n]*)'|(\d+))/g;
  for (const match of source.matchAll(pattern)) {
    const value = match[3] ?? match[4] ?? match[5] ?? match[6] ?? match[7] ?? '';
    const line = source.slice(0, match.index).split('\n').length;
    found.push({ name: match[2] ?? '', value: value.replace(/\s+/g, ' ').trim(), line });
  }
  return found;
}

function unquoted(raw: string): string {
  const quoted = /^(["'`])([\s\S]*?)\1\s*(?:#.*)?$/.exec(raw.trim());
  return (quoted ? (quoted[2] ?? '') : raw).replace(/\s+/g, ' ').trim();
}
