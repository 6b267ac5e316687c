import type { GateCandidate } from './gate-plan.ts';
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
      run: () => `${ruff} check .`,
      why,
      guesses: [],
    });
  }
  if (python.mypy) {
    candidates.push({
      ...base,
      name: 'typecheck',
      kind: 'typecheck',
      report: { format: 'generic' },
      run: () => `${interpreter} -m mypy .`,
      why: `mypy (${python.mypy.evidence})`,
      guesses: ['checks the whole folder with "mypy ."; set files in the mypy config and drop the "." to narrow it'],
    });
  }
  if (python.pytest) {
    candidates.push({
      ...base,
      name: 'test',
      kind: 'test',
      report: { format: 'junit', extension: 'xml' },
      run: (path) => `${interpreter} -m pytest --junitxml=${path}`,
      why: `pytest (${python.pytest.evidence})`,
      guesses: [
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

/** Gates for a Deno project: `deno lint`, `deno fmt --check`, and `deno test` with a JUnit report. */
export function planDenoGates(deno: DenoStack, inputs: string[], warnings: string[]): GateCandidate[] {
  const base = { stack: 'deno', source: 'tool', inputs, why: `${deno.config} (Deno)` } as const;
  if (!deno.installed) {
    warnings.push(
      `${deno.config} makes this a Deno project, but deno is not on PATH: its gates fail until it is installed`,
    );
  }
  return [
    { ...base, name: 'lint', kind: 'lint', report: { format: 'generic' }, run: () => 'deno lint', guesses: [] },
    {
      ...base,
      name: 'format',
      kind: 'lint',
      report: { format: 'generic' },
      run: () => 'deno fmt --check',
      guesses: [],
    },
    {
      ...base,
      name: 'test',
      kind: 'test',
      report: { format: 'junit', extension: 'xml' },
      run: (path) => `deno test -A --junit-path=${path}`,
      buildFree: 'deno compiles the TypeScript itself',
      guesses: [
        'runs "deno test -A": every permission, as tests often read files or the network; narrow it if yours do not',
      ],
    },
  ];
}
