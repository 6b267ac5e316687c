/**
 * What the parent tells the browser harness (a JSON file) and what the harness answers (another one).
 * Types only: the harness runs as its own process and imports nothing else of Sluice.
 */
export interface BrowserJob {
  /** Absolute path of the user's script (an ES module whose default export drives the page). */
  script: string;
  baseURL?: string;
  /** Chromium binary to launch. */
  executable: string;
  /** Where a failure's full-page screenshot goes (absolute). */
  screenshotPath: string;
  /** Where the harness writes its HarnessReport (absolute); rewritten as each step starts. */
  resultPath: string;
  /** Playwright's default wait for actions and navigations, kept within the gate's timeout. */
  actionTimeoutMs: number;
}

/** Where the harness was when it failed. */
export type HarnessPhase = 'launch' | 'load' | 'script';

/** The harness's answer: still running (what a timed-out gate leaves), passed, or failed in a step. */
export type HarnessReport =
  | { outcome: 'running'; step?: string; steps: string[] }
  | { outcome: 'passed'; steps: string[] }
  | {
      outcome: 'failed';
      phase: HarnessPhase;
      /** The innermost step that threw, "outer > inner"; absent outside any step. */
      step?: string;
      error: string;
      /** The error's stack, where the parent finds the line of the user's script. */
      stack: string;
      /** Absolute path of the screenshot, when one could be taken. */
      screenshot?: string;
      /** Steps that passed before the failure. */
      steps: string[];
    };
