/** Defined by the bundler (scripts/build.mjs): a hash of every source file the bundle was built from. */
declare const SLUICE_BUILD_STAMP: string | undefined;

/**
 * What identifies the code of a bundled Sluice, for the caches keyed by Sluice's own code (the validated
 * config, the guard's parsed base tests). Undefined when Sluice runs from its sources (its tests): those
 * caches then hash the files of their own folder, which a bundle does not have.
 */
export const buildStamp: string | undefined = typeof SLUICE_BUILD_STAMP === 'string' ? SLUICE_BUILD_STAMP : undefined;
