export interface BaselineWorktreesOptions {
  /** Folder of sluice.yaml (inside the repository). */
  root: string;
  sluiceDir: string;
  /** Commands run once in a new baseline worktree (config `setup`). */
  setup: string[];
  signal?: AbortSignal;
}

/** Checkouts of baseline refs for bench gates, one worktree per commit, made once and reused. STUB */
export class BaselineWorktrees {
  readonly options: BaselineWorktreesOptions;

  constructor(options: BaselineWorktreesOptions) {
    this.options = options;
  }

  /** The commit `ref` names and the folder matching `root` inside a worktree checked out at it. */
  async checkout(ref: string): Promise<{ commit: string; root: string }> {
    throw new Error(`baselines are not implemented yet (${ref})`);
  }
}
