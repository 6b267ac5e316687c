import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  findSection,
  firstPresent,
  isExecutable,
  mentionsPackage,
  type RootListing,
  readTextIfPresent,
  sectionHasKey,
  sectionNames,
} from './project-files.ts';
import type { DetectedTool, Finding, MypyTool, PythonStack, VirtualEnv } from './stack-detection.ts';

const markerFiles = ['pyproject.toml', 'setup.cfg', 'setup.py', 'pytest.ini', 'tox.ini', 'requirements.txt', 'Pipfile'];

const runPrefixes: ReadonlyArray<readonly [string, NonNullable<PythonStack['runPrefix']>['name']]> = [
  ['uv.lock', 'uv run'],
  ['poetry.lock', 'poetry run'],
  ['pdm.lock', 'pdm run'],
  ['Pipfile.lock', 'pipenv run'],
];

/** Virtualenv folders tried, in order; `python -m venv .venv` and uv make the first. */
const virtualenvDirs = ['.venv', 'venv'];

type PythonTool = 'pytest' | 'ruff' | 'mypy';

/** Where each tool can be configured: a file of its own, or a section of a shared file. */
const toolConfig: Record<PythonTool, { files: string[]; sections: Array<readonly [file: string, section: string]> }> = {
  pytest: {
    files: ['pytest.ini'],
    sections: [
      ['pyproject.toml', 'tool.pytest'],
      ['setup.cfg', 'tool:pytest'],
      ['tox.ini', 'pytest'],
    ],
  },
  ruff: { files: ['ruff.toml', '.ruff.toml'], sections: [['pyproject.toml', 'tool.ruff']] },
  mypy: {
    files: ['mypy.ini', '.mypy.ini'],
    sections: [
      ['pyproject.toml', 'tool.mypy'],
      ['setup.cfg', 'mypy'],
    ],
  },
};

/** Reads pyproject.toml, setup.cfg, pytest.ini, tox.ini and requirements files; undefined when none exists. */
export async function detectPython(
  dir: string,
  root: RootListing,
  findings: Finding[],
  isInstalled: (program: string) => boolean = () => true,
): Promise<PythonStack | undefined> {
  const requirementFiles = [...root.files].filter((name) => /^requirements.*\.(txt|in)$/.test(name)).sort();
  const present = [...new Set([...markerFiles.filter((name) => root.files.has(name)), ...requirementFiles])];
  if (present.length === 0) return undefined;

  const texts = new Map<string, string>();
  for (const name of present) {
    const text = await readTextIfPresent(dir, name);
    if (text !== undefined) texts.set(name, text);
  }
  const sectionsByFile = new Map([...texts].map(([name, text]) => [name, sectionNames(text)] as const));

  const findTool = <Name extends PythonTool>(name: Name): DetectedTool<Name> | undefined => {
    const ownFile = firstPresent(root, toolConfig[name].files);
    if (ownFile) return report({ name, evidence: ownFile });
    for (const [file, section] of toolConfig[name].sections) {
      const found = findSection(sectionsByFile.get(file) ?? [], section);
      if (found) return report({ name, evidence: file }, `[${found}]`);
    }
    // Dependency lists last: a listed tool without configuration still runs with its defaults.
    for (const [file, text] of texts) {
      if (file !== 'setup.py' && mentionsPackage(text, name)) return report({ name, evidence: file }, 'dependency');
    }
    return undefined;
  };
  const report = <Name extends PythonTool>(tool: DetectedTool<Name>, subject?: string): DetectedTool<Name> => {
    findings.push({ file: tool.evidence, ...(subject ? { subject } : {}), says: tool.name });
    return tool;
  };

  findings.push({ file: present[0] ?? 'pyproject.toml', says: 'Python project' });
  const locked = runPrefixes.find(([lockfile]) => root.files.has(lockfile));
  const runner = locked?.[1].split(' ')[0] ?? '';
  // A runner that is not installed would fail every gate with exit 127.
  const prefix = locked && isInstalled(runner) ? locked : undefined;
  if (prefix) findings.push({ file: prefix[0], says: `commands run with ${prefix[1]}` });
  if (locked && !prefix) findings.push({ file: locked[0], says: `${runner} is not on PATH` });
  const pytest = findTool('pytest');
  const ruff = findTool('ruff');
  const mypyTool = findTool('mypy');
  const mypy = mypyTool ? await withConfiguredFiles(dir, mypyTool, texts, findings) : undefined;
  const virtualenv = await findVirtualenv(dir);
  if (virtualenv) findings.push({ file: `${virtualenv.dir}/bin/python`, says: 'virtualenv' });
  const srcLayout = pytest && !pytestSetsPythonpath(texts) ? await findSrcLayout(dir, root, findings) : undefined;

  return {
    ...(prefix ? { runPrefix: { name: prefix[1], evidence: prefix[0] } } : {}),
    ...(locked && !prefix ? { missingRunner: { name: runner, evidence: locked[0] } } : {}),
    ...(pytest ? { pytest } : {}),
    ...(ruff ? { ruff } : {}),
    ...(mypy ? { mypy } : {}),
    ...(virtualenv ? { virtualenv } : {}),
    ...(srcLayout ? { srcLayout } : {}),
  };
}

/** The first virtualenv folder whose python runs (a venv copied from another machine has a broken link). */
async function findVirtualenv(dir: string): Promise<VirtualEnv | undefined> {
  for (const venv of virtualenvDirs) {
    if (await isExecutable(dir, `${venv}/bin/python`)) {
      return { dir: venv, hasRuff: await isExecutable(dir, `${venv}/bin/ruff`) };
    }
  }
  return undefined;
}

/** The section each file that can hold mypy's config keeps it in. */
const mypySections: Record<string, string> = {
  'mypy.ini': 'mypy',
  '.mypy.ini': 'mypy',
  'pyproject.toml': 'tool.mypy',
  'setup.cfg': 'mypy',
};

/**
 * Marks a mypy whose config lists the files to check (`files = ["src", "tests"]`): a bare `mypy` checks those,
 * while `mypy .` would check every file of the folder instead (setup.py, docs/conf.py, scripts).
 */
async function withConfiguredFiles(
  dir: string,
  mypy: DetectedTool<'mypy'>,
  texts: ReadonlyMap<string, string>,
  findings: Finding[],
): Promise<MypyTool> {
  const section = mypySections[mypy.evidence];
  const text = texts.get(mypy.evidence) ?? (await readTextIfPresent(dir, mypy.evidence));
  if (section === undefined || text === undefined || !sectionHasKey(text, section, 'files')) return mypy;
  findings.push({ file: mypy.evidence, subject: `[${section}] files`, says: 'the files mypy checks' });
  return { ...mypy, configuresFiles: true };
}

/** Whether a pytest config sets `pythonpath`: the project chose its import folders itself. */
function pytestSetsPythonpath(texts: ReadonlyMap<string, string>): boolean {
  const sections: ReadonlyArray<readonly [file: string, section: string]> = [
    ['pytest.ini', 'pytest'],
    ['pyproject.toml', 'tool.pytest.ini_options'],
    ['setup.cfg', 'tool:pytest'],
    ['tox.ini', 'pytest'],
  ];
  return sections.some(([file, section]) => {
    const text = texts.get(file);
    return text !== undefined && sectionHasKey(text, section, 'pythonpath');
  });
}

/**
 * `src/` when the project keeps its package there (`src/widget/__init__.py`, or modules right in `src/`): pytest
 * puts only the tests' and the repository's folders on sys.path, so without `pythonpath` the tests import an
 * installed copy of the package (a stale one passes whatever the sources say) or fail to import it at all.
 */
async function findSrcLayout(dir: string, root: RootListing, findings: Finding[]): Promise<'src' | undefined> {
  if (!root.unignoredDirs.includes('src')) return undefined;
  let entries: Dirent[];
  try {
    entries = await readdir(join(dir, 'src'), { withFileTypes: true });
  } catch {
    return undefined;
  }
  const isModule = (entry: Dirent) => entry.isFile() && entry.name.endsWith('.py');
  let found = entries.find(isModule)?.name;
  for (const entry of entries) {
    if (found) break;
    if (entry.isDirectory() && (await isFile(dir, join('src', entry.name, '__init__.py')))) found = `${entry.name}/`;
  }
  if (!found) return undefined;
  findings.push({ file: `src/${found}`, says: 'Python package in src/' });
  return 'src';
}

async function isFile(dir: string, path: string): Promise<boolean> {
  try {
    return (await stat(join(dir, path))).isFile();
  } catch {
    return false;
  }
}
