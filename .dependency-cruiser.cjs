// The dependency direction of DESIGN.md, enforced by `npm run lint`.
// cli/, server/ -> loop/, queue/, review/ -> gates/, guard/, agents/, workspace/, store/, usage/ -> config/
// process/ (the one module that spawns processes) and errors.ts sit at the bottom beside config/.
const layers = {
  top: ['cli', 'server'],
  flow: ['loop', 'queue', 'review', 'workflow'],
  domain: ['gates', 'guard', 'agents', 'workspace', 'store', 'usage', 'hooks', 'judge'],
  base: ['config', 'process'],
};
const folders = (names) => `^src/(${names.join('|')})/`;

module.exports = {
  forbidden: [
    {
      name: 'no-import-of-entry-points',
      comment: 'Nothing imports cli/ or server/.',
      severity: 'error',
      from: { pathNot: folders(layers.top) },
      to: { path: folders(layers.top) },
    },
    {
      name: 'flow-only-downwards',
      comment: 'loop/, queue/, review/ use the domain and config, never the entry points.',
      severity: 'error',
      from: { path: folders(layers.domain) },
      to: { path: folders([...layers.flow, ...layers.top]) },
    },
    {
      name: 'base-imports-nothing-above',
      comment: 'config/ and process/ are the bottom layer.',
      severity: 'error',
      from: { path: folders(layers.base) },
      to: { path: folders([...layers.top, ...layers.flow, ...layers.domain]) },
    },
    {
      name: 'config-does-not-spawn',
      severity: 'error',
      from: { path: '^src/config/' },
      to: { path: '^src/process/' },
    },
    {
      name: 'adapters-are-independent',
      comment: 'Agent adapters never import each other.',
      severity: 'error',
      from: { path: '^src/agents/([^/]+)/' },
      to: { path: '^src/agents/([^/]+)/', pathNot: '^src/agents/$1/' },
    },
    {
      name: 'only-store-touches-databases',
      severity: 'error',
      from: { pathNot: '^src/store/' },
      to: { path: 'node_modules/(better-sqlite3|pg|kysely|pg-boss)/' },
    },
    {
      name: 'only-process-spawns',
      comment: 'One small module owns process groups, timeouts and kill-tree.',
      severity: 'error',
      from: { pathNot: '^src/process/' },
      to: { path: '^(node:)?child_process$|node_modules/execa/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/|child_process|node_modules/',
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
