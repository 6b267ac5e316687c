/** Whether a script or make target name reads as one that runs tests: `test`, `test:unit`, `e2e`, `ci`, `check`. */
export function isTestTaskName(name: string): boolean {
  return /(?:^|[-_:.])(?:tests?|check|ci|unit|integration|e2e|spec|verify)(?:[-_:.]|$)/.test(name);
}
