import { firstPresent, type RootListing, readTextIfPresent } from './project-files.ts';
import type { DetectedTool, Finding, NodeStack, PackageManager, PackageScript, ScriptRole } from './stack-detection.ts';

const lockfiles: ReadonlyArray<readonly [string, PackageManager]> = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
];

/** Script names tried for each role, in order of preference. */
const scriptNames: Record<ScriptRole, readonly string[]> = {
  build: ['build'],
  typecheck: [
    'typecheck',
    'type-check',
    'check:type',
    'check:types',
    'check-types',
    'types:check',
    'lint:types',
    'lint:type',
    'types',
    'tsc',
    'test:types',
    'test:type',
    'test:typecheck',
  ],
  lint: ['lint', 'check:lint', 'lint:check', 'lint:js', 'lint:ts', 'eslint'],
  format: [
    'format:check',
    'check:format',
    'format-check',
    'check-format',
    'fmt:check',
    'lint:format',
    'prettier:check',
    'lint:prettier',
  ],
  test: ['test', 'test:unit', 'unit'],
  e2e: ['test:e2e', 'e2e', 'test:integration'],
};

/** More check scripts, besides the chosen ones: `lint:css`, or a `check` that runs every check in turn. */
const extraScriptName = /^((lint|check|test|typecheck|types|format):.+|check|ci|verify|validate)$/;

/** Script names and commands that change files or never end, so they are no check. */
const notACheck =
  /(^|[:_-])(fix|write|watch|dev|update|ui|debug|serve|open|snapshot|prepare|release|publish)($|[\s:_-])|--fix\b|--write\b|--watch\b/;

const vitestConfigs = configNames(['vitest.config', 'vitest.workspace']);
const jestConfigs = [...configNames(['jest.config']), 'jest.config.json'];
const eslintConfigs = [
  ...configNames(['eslint.config']),
  ...['.eslintrc', '.eslintrc.js', '.eslintrc.cjs', '.eslintrc.json', '.eslintrc.yaml', '.eslintrc.yml'],
];
const biomeConfigs = ['biome.json', 'biome.jsonc'];

/** Dependencies that let jest compile TypeScript tests itself, so they need no build first. */
const jestTransforms = ['ts-jest', '@swc/jest', 'esbuild-jest', '@babel/preset-typescript'];

interface PackageJson {
  scripts: Record<string, string>;
  dependencies: Set<string>;
  fields: Set<string>;
  packageManagerField?: string;
}

/** Reads package.json and the files around it; undefined when there is no package.json. */
export async function detectNode(
  dir: string,
  root: RootListing,
  findings: Finding[],
  isInstalled: (program: string) => boolean = () => true,
): Promise<NodeStack | undefined> {
  const text = root.files.has('package.json') ? await readTextIfPresent(dir, 'package.json') : undefined;
  if (text === undefined) return undefined;
  const manifest = parsePackageJson(text);
  if (!manifest) {
    findings.push({ file: 'package.json', says: 'not valid JSON, skipped' });
    return undefined;
  }

  const scripts: NodeStack['scripts'] = {};
  for (const [role, names] of Object.entries(scriptNames) as Array<[ScriptRole, readonly string[]]>) {
    const script = findScript(manifest.scripts, names);
    if (!script) continue;
    scripts[role] = script;
    findings.push({ file: 'package.json', subject: `script ${script.name}`, says: script.command });
  }
  const chosen = new Set(Object.values(scripts).map((script) => script.name));
  const extraScripts = Object.entries(manifest.scripts)
    .filter(
      ([name, command]) => !chosen.has(name) && extraScriptName.test(name) && !notACheck.test(`${name} ${command}`),
    )
    .map(([name, command]) => ({ name, command }));

  const lock = lockfiles.find(([file]) => root.files.has(file));
  const fromField = /^(npm|pnpm|yarn|bun)@/.exec(manifest.packageManagerField ?? '')?.[1] as PackageManager | undefined;
  let packageManager: PackageManager = 'npm';
  let packageManagerEvidence: string | undefined;
  if (lock) {
    [packageManagerEvidence, packageManager] = lock;
    findings.push({ file: lock[0], says: `package manager ${packageManager}` });
  } else if (fromField) {
    packageManager = fromField;
    packageManagerEvidence = 'package.json';
    findings.push({ file: 'package.json', subject: 'packageManager field', says: packageManager });
  }
  const packageManagerMissing = packageManager !== 'npm' && !isInstalled(packageManager);
  if (packageManagerMissing) {
    findings.push({ file: packageManagerEvidence ?? 'package.json', says: `${packageManager} is not on PATH` });
  }

  const has = (name: string): boolean => manifest.dependencies.has(name);
  const tsconfig = root.files.has('tsconfig.json') ? 'tsconfig.json' : undefined;
  if (tsconfig) findings.push({ file: tsconfig, says: 'TypeScript' });

  const testRunner =
    toolFrom('vitest', firstPresent(root, vitestConfigs) ?? (has('vitest') ? 'package.json' : undefined)) ??
    toolFrom(
      'jest',
      firstPresent(root, jestConfigs) ?? (has('jest') || manifest.fields.has('jest') ? 'package.json' : undefined),
    );
  if (testRunner) findings.push({ file: testRunner.evidence, says: `test runner ${testRunner.name}` });
  const jestTransform = testRunner?.name === 'jest' ? jestTransforms.find(has) : undefined;
  if (jestTransform)
    findings.push({ file: 'package.json', subject: 'dependency', says: `jest transform ${jestTransform}` });

  const eslintConfig =
    firstPresent(root, eslintConfigs) ?? (manifest.fields.has('eslintConfig') ? 'package.json' : undefined);
  const linter = toolFrom('eslint', eslintConfig) ?? toolFrom('biome', firstPresent(root, biomeConfigs));
  if (linter) findings.push({ file: linter.evidence, says: linter.name === 'eslint' ? 'ESLint' : 'Biome' });

  return {
    packageManager,
    ...(packageManagerEvidence ? { packageManagerEvidence } : {}),
    ...(packageManagerMissing ? { packageManagerMissing } : {}),
    scripts,
    ...(extraScripts.length > 0 ? { extraScripts } : {}),
    scriptTable: manifest.scripts,
    ...(tsconfig ? { typescript: { tsconfig, installed: has('typescript') } } : {}),
    ...(testRunner ? { testRunner } : {}),
    ...(jestTransform ? { jestTransform } : {}),
    ...(linter ? { linter } : {}),
  };
}

function parsePackageJson(text: string): PackageJson | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed)) return undefined;
  const scripts: Record<string, string> = {};
  if (isRecord(parsed.scripts)) {
    for (const [name, command] of Object.entries(parsed.scripts))
      if (typeof command === 'string') scripts[name] = command;
  }
  const dependencies = new Set<string>();
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
    const list = parsed[field];
    if (isRecord(list)) for (const name of Object.keys(list)) dependencies.add(name);
  }
  const packageManagerField = typeof parsed.packageManager === 'string' ? parsed.packageManager : undefined;
  return {
    scripts,
    dependencies,
    fields: new Set(Object.keys(parsed)),
    ...(packageManagerField ? { packageManagerField } : {}),
  };
}

function findScript(scripts: Record<string, string>, names: readonly string[]): PackageScript | undefined {
  for (const name of names) {
    const command = scripts[name];
    // `npm init` writes a test script that only fails; it is not a check.
    if (command && !/no test specified/.test(command)) return { name, command };
  }
  return undefined;
}

function toolFrom<Name extends string>(name: Name, evidence: string | undefined): DetectedTool<Name> | undefined {
  return evidence ? { name, evidence } : undefined;
}

function configNames(stems: readonly string[]): string[] {
  return stems.flatMap((stem) => ['ts', 'mts', 'cts', 'js', 'mjs', 'cjs'].map((extension) => `${stem}.${extension}`));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
