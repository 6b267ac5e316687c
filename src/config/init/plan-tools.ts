import type { GateCandidate } from './gate-plan.ts';
import { lastCommand, toolOf } from './script-command.ts';
import type { DenoStack, GoStack, PythonStack, RustStack } from './stack-detection.ts';

/** Gates for a Python project: ruff, mypy and pytest, each when the project configures or lists it. */
export function planPythonGates(
  python: PythonStack,
  inputs: string[],
  notes: string[],
  warnings: string[] = [],
): GateCandidate[] {
  const { python: interpreter, ruff } = pythonCommands(python);
  const base = { stack: 'python', source: 'tool', inputs } as const;
  const candidates: GateCandidate[] = [];
  if (python.ruff) {
    const why = `ruff (${python.ruff.evidence})`;
    candidates.push({
      ...base,
      name: 'lint',
      kind: 'lint',
      report: { format: 'generic' },
      // A ruff config may say `fix = true`: a check that rewrites the sources would hide what it found.
      run: () => `${ruff} check --no-fix .`,
      why,
      guesses: [],
    });
  }
  if (python.mypy) {
    const { configuresFiles, evidence } = python.mypy;
    candidates.push({
      ...base,
      name: 'typecheck',
      kind: 'typecheck',
      report: { format: 'generic' },
      // The files the config lists, when it does: "mypy ." would check every file of the folder instead.
      run: () => (configuresFiles ? `${interpreter} -m mypy` : `${interpreter} -m mypy .`),
      why: `mypy (${evidence})`,
      guesses: configuresFiles
        ? []
        : ['checks the whole folder with "mypy ."; set files in the mypy config and drop the "." to narrow it'],
    });
  }
  const importFolder = pytestImportFolder(python);
  const pythonpath = importFolder ? ` -o pythonpath=${importFolder}` : '';
  if (python.pytest) {
    candidates.push({
      ...base,
      name: 'test',
      kind: 'test',
      report: { format: 'junit', extension: 'xml' },
      run: (path) => `${interpreter} -m pytest${pythonpath} --junitxml=${path}`,
      why: `pytest (${python.pytest.evidence})`,
      guesses: importFolder
        ? [
            `adds "-o pythonpath=${importFolder}": the package sits in ${importFolder}/, so the tests import it from there, not an installed copy that does not change with the sources`,
          ]
        : [
            `runs "${interpreter} -m pytest", not "pytest": it puts the repository folder on sys.path, so tests import a package that sits beside tests/ without being installed`,
          ],
    });
  }
  const environment = pythonEnvironmentNote(python, interpreter);
  if (environment && candidates.length > 0) notes.push(environment);
  const missing = python.missingRunner;
  if (missing && candidates.length > 0) {
    warnings.push(
      `${missing.evidence} names ${missing.name}, which is not on PATH: the gates run ${interpreter} instead; install ${missing.name} and run "sluice init --force" again`,
    );
  }
  return candidates;
}

/**
 * The folder pytest must import the package from, for a src layout: unless a lockfile's runner installs the
 * project (uv and poetry install it editable, so the sources are what the tests import already).
 */
function pytestImportFolder(python: PythonStack): string | undefined {
  return python.runPrefix ? undefined : python.srcLayout;
}

/** The Python and ruff commands: through the lockfile's runner, else from the virtualenv folder, else from PATH. */
function pythonCommands({ runPrefix, virtualenv }: PythonStack): { python: string; ruff: string } {
  if (runPrefix) return { python: `${runPrefix.name} python`, ruff: `${runPrefix.name} ruff` };
  if (virtualenv) {
    const bin = `${virtualenv.dir}/bin`;
    return { python: `${bin}/python`, ruff: virtualenv.hasRuff ? `${bin}/ruff` : 'ruff' };
  }
  return { python: 'python3', ruff: 'ruff' };
}

/** Where the tools come from, unless a lockfile's runner says so (a `found` line then does). */
function pythonEnvironmentNote(python: PythonStack, interpreter: string): string | undefined {
  if (python.runPrefix) return undefined;
  if (python.virtualenv) {
    const ruff =
      python.ruff && !python.virtualenv.hasRuff ? '; ruff is not installed there, so it comes from PATH' : '';
    return `Python: the tools run with ${interpreter}, found at init; the gates need that virtualenv where they run${ruff}`;
  }
  // A lockfile whose runner is missing has its own warning; this line must not deny the lockfile is there.
  const lockfile = python.missingRunner
    ? `${python.missingRunner.evidence} names ${python.missingRunner.name}, which is not on PATH,`
    : 'no uv, poetry, pdm or pipenv lockfile';
  return `Python: ${lockfile} and no .venv/ or venv/, so python3 and the tools come from PATH (an activated virtualenv)`;
}

/** Gates for a Go module: a linter, then `go test -json`, whose events name each failing test. */
export function planGoGates(go: GoStack, inputs: string[]): GateCandidate[] {
  const base = { stack: 'go', source: 'tool', inputs } as const;
  const lint: GateCandidate = go.linter
    ? {
        ...base,
        name: 'lint',
        kind: 'lint',
        report: { format: 'generic' },
        run: () => 'golangci-lint run',
        why: `golangci-lint (${go.linter.evidence})`,
        guesses: [],
      }
    : {
        ...base,
        name: 'vet',
        kind: 'lint',
        report: { format: 'generic' },
        run: () => 'go vet ./...',
        why: `go.mod (Go module ${go.module})`,
        guesses: ['added "go vet ./..." as the lint gate: Go\'s own checks, and it stops on compile errors early'],
      };
  const test: GateCandidate = {
    ...base,
    name: 'test',
    kind: 'test',
    report: { format: 'go-test-json' },
    run: () => 'go test -json ./...',
    why: `go.mod (Go module ${go.module})`,
    guesses: [],
  };
  return [lint, test];
}

/** Gates for a Rust crate or workspace: build every target, then `cargo test`. */
export function planRustGates(rust: RustStack, inputs: string[]): GateCandidate[] {
  const workspace = rust.workspace ? ' --workspace' : '';
  const why = `Cargo.toml (${rust.crate ? `crate ${rust.crate}` : 'workspace'})`;
  const base = { stack: 'rust', source: 'tool', inputs, why } as const;
  return [
    {
      ...base,
      name: 'build',
      kind: 'build',
      report: { format: 'generic' },
      run: () => `cargo build${workspace} --all-targets`,
      guesses: [],
    },
    rust.nextest
      ? {
          ...base,
          name: 'test',
          kind: 'test',
          // nextest writes the report where its profile says; the gate reads it from there.
          report: { format: 'junit', path: rust.nextest.reportPath },
          run: () => `cargo nextest run${workspace} --profile ${rust.nextest?.profile}`,
          why: `Cargo.toml, and the JUnit report of nextest profile ${rust.nextest.profile} (${rust.nextest.evidence})`,
          guesses: [],
        }
      : {
          ...base,
          name: 'test',
          kind: 'test',
          report: { format: 'generic' },
          run: () => `cargo test${workspace}`,
          guesses: [
            'cargo test has no machine-readable report on stable Rust: its output is read as plain text (a nextest profile with a JUnit path in .config/nextest.toml gives exact failures)',
          ],
        },
  ];
}

/**
 * Gates for a Deno project: its `lint` and `test` tasks when it has them (the project's own commands), else
 * `deno lint`, `deno fmt --check`, and `deno test` with a JUnit report.
 */
export function planDenoGates(deno: DenoStack, inputs: string[], warnings: string[]): GateCandidate[] {
  const base = { stack: 'deno', source: 'tool', inputs, why: `${deno.config} (Deno)` } as const;
  if (!deno.installed) {
    warnings.push(
      `${deno.config} makes this a Deno project, but deno is not on PATH: its gates fail until it is installed`,
    );
  }
  const { lint: declaredLint, test: testTask } = deno.tasks ?? {};
  // A lint task that formats or fixes the files would change the sources it is meant to judge.
  const lintFixes = declaredLint !== undefined && rewritesFiles(declaredLint);
  const lintTask = lintFixes ? undefined : declaredLint;
  const taskWhy = (name: string, command: string) => `${deno.config} task ${name} (${command})`;
  const fixerGuess = lintFixes
    ? [`task lint ("${declaredLint}") rewrites files, so the gates check with deno lint and deno fmt --check`]
    : [];
  const candidates: GateCandidate[] = [];
  if (lintTask) {
    candidates.push({
      ...base,
      source: 'script',
      name: 'lint',
      kind: 'lint',
      report: { format: 'generic' },
      run: () => 'deno task lint',
      why: taskWhy('lint', lintTask),
      guesses: [],
    });
  } else {
    candidates.push({
      ...base,
      name: 'lint',
      kind: 'lint',
      report: { format: 'generic' },
      run: () => 'deno lint',
      guesses: fixerGuess,
    });
  }
  // A lint task that checks the formatting too (`deno fmt --check && deno lint`) leaves no format gate to add.
  if (!lintTask || !/\bdeno\s+fmt\b/.test(lintTask)) {
    candidates.push({
      ...base,
      name: 'format',
      kind: 'lint',
      report: { format: 'generic' },
      run: () => 'deno fmt --check',
      guesses: [],
    });
  }
  candidates.push(testTask ? denoTestTask(base, testTask, taskWhy('test', testTask)) : denoTest(base));
  return candidates;
}

/** `deno fmt` without `--check`, or any `--fix`: the command changes files instead of checking them. */
function rewritesFiles(command: string): boolean {
  return command
    .split(/&&|\|\||[;|&]/)
    .some((part) => /\bdeno\s+fmt\b(?!.*--check)/.test(part) || /--fix\b/.test(part));
}

type DenoBase = Pick<GateCandidate, 'stack' | 'source' | 'inputs' | 'why'>;

function denoTest(base: DenoBase): GateCandidate {
  return {
    ...base,
    name: 'test',
    kind: 'test',
    report: { format: 'junit', extension: 'xml' },
    run: (path) => `deno test -A --junit-path=${path}`,
    buildFree: 'deno compiles the TypeScript itself',
    guesses: [
      'runs "deno test -A": every permission, as tests often read files or the network; narrow it if yours do not',
    ],
  };
}

/**
 * `deno task test`, with its permissions and flags. When the task is one `deno test`, the JUnit flag goes on
 * the end of it (`deno task` passes its arguments on), so failures are exact; a chain is read as plain text.
 */
function denoTestTask(base: DenoBase, command: string, why: string): GateCandidate {
  const single = lastCommand(command) === command.trim() && toolOf(command) === 'deno-test';
  return {
    ...base,
    source: 'script',
    name: 'test',
    kind: 'test',
    why,
    buildFree: 'deno compiles the TypeScript itself',
    ...(single
      ? {
          report: { format: 'junit', extension: 'xml' },
          run: (path: string) => `deno task test --junit-path=${path}`,
          guesses: ['added "--junit-path" (a JUnit report) to deno test in task test so failures are exact'],
        }
      : {
          report: { format: 'generic' },
          run: () => 'deno task test',
          guesses: ['task test is more than one deno test: its output is read as plain text'],
        }),
  };
}
