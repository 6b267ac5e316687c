/**
 * Folders of test data: sample inputs and expected outputs that tests read (a linter's or a bundler's fixtures,
 * Go's testdata, snapshots), not code the runner loads or the project ships. Rules about code leave them out.
 */
export const testDataFolder = /(?:^|\/)(?:fixtures|__fixtures__|testdata|snapshots|__snapshots__)\//;
