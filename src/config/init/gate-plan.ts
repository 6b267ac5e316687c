import type { GateKind, ReportFormat } from '../schema.ts';
import type { PlannedSetupStep } from './plan-setup.ts';

/** Which part of the repository a gate comes from. */
export type GateStack = 'node' | 'python' | 'go' | 'rust' | 'deno' | 'make';

/** A package or Makefile script is the project's own command; a tool is Sluice's pick. */
export type GateSource = 'script' | 'tool' | 'make';

/** How Sluice reads a gate's failures; `extension` means the gate writes `.sluice/reports/<gate>.<extension>`. */
export interface ReportTarget {
  format: ReportFormat;
  extension?: 'xml' | 'json';
  /** A report the tool writes where its own config says (nextest's profile), instead of `.sluice/reports/`. */
  path?: string;
}

/** A gate before its name is final: the name may change to avoid a clash, and the report path with it. */
export interface GateCandidate {
  stack: GateStack;
  source: GateSource;
  name: string;
  kind: GateKind;
  inputs?: string[];
  report: ReportTarget;
  /** The command, given the report path (`.sluice/reports/<gate>.<extension>`). */
  run: (reportPath: string) => string;
  /** Why the gate is there: the evidence. */
  why: string;
  /**
   * Why a test gate can run before the build passes: its runner compiles the sources itself. Without it, test
   * and e2e gates need every build gate, as they may run built code and a broken build fails them with noise.
   */
  buildFree?: string;
  /** What was assumed to build it; each becomes a `guessed` line and a comment. */
  guesses: string[];
}

/** A gate as it goes into sluice.yaml, with the reasons for its comment. */
export interface PlannedGate {
  name: string;
  run: string;
  kind: GateKind;
  tier: number;
  needs: string[];
  inputs?: string[];
  report: { format: ReportFormat; path?: string };
  why: string;
  guesses: string[];
}

export interface GatePlan {
  gates: PlannedGate[];
  /** How a clean checkout gets its dependencies (`setup:`). */
  setup?: PlannedSetupStep[];
  /** One short sentence per fact detected, with the file that says so. */
  found: string[];
  /** Everything assumed rather than read, so the user knows what to check: `notes` and each gate's guesses. */
  guessed: string[];
  /** Assumptions about the whole repository rather than one gate (a Makefile target left out, say). */
  notes: string[];
  /** What will not work as written until the user acts (a package manager that is not installed). */
  warnings?: string[];
}

/** Cheap gates first: static checks and builds, then unit tests, then end-to-end tests. */
export function tierOf(kind: GateKind): number {
  switch (kind) {
    case 'test':
    case 'bench':
    case 'invariant':
      return 2;
    case 'e2e':
    case 'log':
    case 'http':
    case 'browser':
      return 3;
    case 'build':
    case 'typecheck':
    case 'lint':
    case 'other':
      return 1;
  }
}
