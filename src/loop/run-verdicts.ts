/** How a run ends. Only `done` means the machines accepted the work. */
export const runVerdicts = ['done', 'blocked', 'budget-exhausted', 'failed', 'cancelled'] as const;
export type RunVerdict = (typeof runVerdicts)[number];

export const runStatuses = ['running', ...runVerdicts] as const;
export type RunStatus = (typeof runStatuses)[number];
