import type { GateKind } from '../schema.ts';
import type { GateCandidate } from './gate-plan.ts';
import {
  commandTarget,
  type KnownTool,
  lastCommand,
  runInstalledTool,
  runScript,
  toolAtEnd,
  toolOf,
} from './script-command.ts';
import { expandScript, type ScriptStep } from './script-steps.ts';
import type { NodeStack, PackageManager, PackageScript, ScriptRole } from './stack-detection.ts';
import { buildFreeReason, reportedRun, toolRole } from './tool-reports.ts';

export const roleKinds: Record<ScriptRole, GateKind> = {
  build: 'build',
  typecheck: 'typecheck',
  lint: 'lint',
  format: 'lint',
  test: 'test',
  e2e: 'e2e',
};

/** What the Node planner knows while it turns scripts into gates, and what it planned so far. */
export interface ScriptPlanning {
  node: NodeStack;
  /** The manager the gates call (npm when the lockfile's is not installed). */
  manager: PackageManager;
  inputs: string[];
  notes: string[];
  scripts: Readonly<Record<string, string>>;
  /** The scripts chosen for a role: a script that calls one of them leaves that part to its gate. */
  gateScripts: ReadonlySet<string>;
  candidates: GateCandidate[];
  /** Each command a gate runs (spaces collapsed, launcher dropped), and the gate's name. */
  commandsRun: Map<string, string>;
  /**
   * `tool:role:target` keys that have a gate, and its name: a second run of the same tool for the same job on the
   * same target (tsconfig, config file) is left out. See `toolJob`.
   */
  toolsRun: Map<string, string>;
}

/** Programs on PATH or run by path, which need no `npx` in front when a step is run outside its script. */
const selfStarting = new Set(['node', 'npm', 'npx', 'pnpm', 'yarn', 'bun', 'bunx', 'deno']);

/**
 * Plans the gates of one script. A script that is one command stays one gate that runs the script. A script that
 * chains known tools (`eslint . && vitest run`, `npm run lint && npm run test:unit`, `run-s lint:*`) becomes one
 * gate per tool, each with its own report flags, leaving out the parts other gates already run. Anything else
 * (pipes, `||`, a command Sluice does not know in the chain) stays whole. `extra` scripts only add what no
 * gate runs yet.
 */
export function planScriptGates(
  planning: ScriptPlanning,
  role: ScriptRole,
  script: PackageScript,
  mode: 'chosen' | 'extra',
  guesses: string[],
): void {
  const gateScripts = new Set([...planning.gateScripts].filter((name) => name !== script.name));
  const expansion = expandScript(planning.scripts, script.name, { runsHooks: planning.manager === 'npm', gateScripts });
  if (expansion.kind === 'opaque') {
    if (mode === 'extra') planning.notes.push(`script ${script.name} not added: ${expansion.reason}`);
    else addWholeScript(planning, role, script, guesses);
    return;
  }
  const steps = expansion.steps.filter((step) => step.gateScript === undefined);
  const single = expansion.steps.length === 1 && steps[0]?.script === script.name;
  // A command Sluice does not know can still be a gate of its own when it is the whole of another script
  // (`npm run test:types` running `tstyche`): the gate runs that script. Written inline, it keeps the chain whole.
  const unknown = steps.filter(
    (step) => toolOf(step.command) === undefined && !(step.script !== script.name && runsAlone(planning, step)),
  );
  // Builds stay whole: their steps depend on each other, and no report would get better by splitting them.
  if (single || role === 'build' || (unknown.length > 0 && mode === 'chosen')) {
    addWholeScript(planning, role, script, guesses, mode);
    // What the whole script runs is run: extra scripts must not run it again.
    for (const step of steps) markRun(planning, step.command, role, script.name);
    return;
  }
  if (unknown.length > 0) {
    planning.notes.push(
      `script ${script.name} not added: it chains commands Sluice does not know (${unknown.map((step) => `"${step.command}"`).join(', ')})`,
    );
    return;
  }
  for (const step of steps) addStep(planning, role, script, step, guesses);
}

/** Records that gate `gate` runs `command`, so no other gate runs it or its tool for the same job again. */
function markRun(planning: ScriptPlanning, command: string, role: ScriptRole, gate: string): void {
  const key = normalized(command);
  if (!planning.commandsRun.has(key)) planning.commandsRun.set(key, gate);
  const tool = toolOf(command);
  const jobRole = tool ? toolRole(tool, command, role) : undefined;
  if (tool && jobRole && jobRole !== 'fixer') {
    const job = toolJob(tool, jobRole, command);
    if (!planning.toolsRun.has(job)) planning.toolsRun.set(job, gate);
  }
}

/**
 * The key of what a tool run checks: the tool, its job and its target, so `tsc -p scripts && tsc -p playground`
 * keeps both (they check different projects) while `vitest run --coverage` is left out beside `vitest run`.
 */
function toolJob(tool: KnownTool, role: string, command: string): string {
  return `${tool}:${role}:${commandTarget(command)}`;
}

/** One gate that runs the whole script, with report flags for the tool at its end. */
function addWholeScript(
  planning: ScriptPlanning,
  role: ScriptRole,
  script: PackageScript,
  guesses: string[],
  mode: 'chosen' | 'extra' = 'chosen',
): void {
  const tool = toolAtEnd(script.command);
  const jobRole = tool ? toolRole(tool, script.command, role) : role;
  const key = normalized(script.command);
  const toolKey = tool && jobRole !== 'fixer' ? toolJob(tool, jobRole, lastCommand(script.command)) : undefined;
  if (mode === 'extra') {
    const already = planning.commandsRun.get(key) ?? (toolKey ? planning.toolsRun.get(toolKey) : undefined);
    if (already) return;
    if (jobRole === 'fixer') {
      planning.notes.push(`script ${script.name} not added: "${script.command}" rewrites files instead of checking`);
      return;
    }
  }
  const gateRole = jobRole === 'fixer' ? role : mode === 'extra' ? jobRole : role;
  const kind = roleKinds[gateRole];
  const label = `script ${script.name}`;
  const reported = reportedRun(
    tool,
    label,
    script.command,
    (extra) => runScript(planning.manager, script.name, extra),
    checks(kind),
  );
  const buildFree = buildFreeReason(planning.node, gateRole, tool, script.command);
  const name = gateName(planning, gateRole, script.name, tool, mode === 'chosen');
  planning.candidates.push({
    stack: 'node',
    source: 'script',
    name,
    kind,
    inputs: planning.inputs,
    ...(buildFree ? { buildFree } : {}),
    report: reported.report,
    run: reported.run,
    why: `package.json script ${script.name} (${script.command})`,
    guesses: [...reported.guesses, ...guesses],
  });
  planning.commandsRun.set(key, name);
  if (toolKey) planning.toolsRun.set(toolKey, name);
}

/** A gate for one step of a chained script, unless a gate already runs that command or that tool for that job. */
function addStep(
  planning: ScriptPlanning,
  role: ScriptRole,
  root: PackageScript,
  step: ScriptStep,
  guesses: string[],
): void {
  const tool = toolOf(step.command);
  if (tool === undefined) {
    addUnknownScriptStep(planning, role, root, step, guesses);
    return;
  }
  const stepRole = toolRole(tool, step.command, role);
  if (stepRole === 'fixer') {
    planning.notes.push(
      `script ${step.script}: "${step.command}" rewrites files instead of checking, so it is no gate`,
    );
    return;
  }
  const key = normalized(step.command);
  const toolKey = toolJob(tool, stepRole, step.command);
  const already = planning.commandsRun.get(key) ?? planning.toolsRun.get(toolKey);
  if (already) {
    planning.notes.push(`script ${root.name}: "${step.command}" is left out: gate ${already} already runs ${tool}`);
    return;
  }
  const kind = roleKinds[stepRole];
  const alone = runsAlone(planning, step);
  const plain = (extra?: string): string =>
    alone ? runScript(planning.manager, step.script, extra) : directCommand(planning.manager, step.command, extra);
  const label = alone ? `script ${step.script}` : `"${step.command}" of script ${step.script}`;
  const reported = reportedRun(tool, label, step.command, plain, checks(kind));
  const buildFree = buildFreeReason(planning.node, stepRole, tool, step.command);
  const name = gateName(planning, stepRole, step.script, tool, true, commandTarget(step.command));
  const why =
    step.script === root.name
      ? `package.json script ${root.name} (${root.command}), its step "${step.command}"`
      : `package.json script ${step.script} (${step.command}), run by script ${root.name}`;
  planning.candidates.push({
    stack: 'node',
    source: 'script',
    name,
    kind,
    inputs: planning.inputs,
    ...(buildFree ? { buildFree } : {}),
    report: reported.report,
    run: reported.run,
    why,
    guesses: [
      ...reported.guesses,
      `script ${root.name} chains several tools: each runs in a gate of its own, with its own report`,
      ...guesses,
    ],
  });
  planning.commandsRun.set(key, name);
  planning.toolsRun.set(toolKey, name);
}

/** A step that is the whole of another script and runs a tool Sluice does not know: a gate that runs that script. */
function addUnknownScriptStep(
  planning: ScriptPlanning,
  role: ScriptRole,
  root: PackageScript,
  step: ScriptStep,
  guesses: string[],
): void {
  const key = normalized(step.command);
  if (planning.commandsRun.has(key)) return;
  const kind = roleKinds[role];
  const reported = reportedRun(
    undefined,
    `script ${step.script}`,
    step.command,
    (extra) => runScript(planning.manager, step.script, extra),
    checks(kind),
  );
  const name = gateName(planning, role, step.script, undefined, true);
  planning.candidates.push({
    stack: 'node',
    source: 'script',
    name,
    kind,
    inputs: planning.inputs,
    report: reported.report,
    run: reported.run,
    why: `package.json script ${step.script} (${step.command}), run by script ${root.name}`,
    guesses: [...reported.guesses, ...guesses],
  });
  planning.commandsRun.set(key, name);
}

function checks(kind: GateKind): boolean {
  return kind !== 'build' && kind !== 'typecheck';
}

/**
 * Whether a step is the whole of its script, so the gate can run the script by name (`npm run test:unit --
 * flags`): that keeps the project's spelling. Not when npm would run pre/post scripts around it.
 */
function runsAlone(planning: ScriptPlanning, step: ScriptStep): boolean {
  const text = Object.hasOwn(planning.scripts, step.script) ? planning.scripts[step.script] : undefined;
  if (text?.trim() !== step.command) return false;
  if (planning.manager !== 'npm') return true;
  return !['pre', 'post'].some((prefix) => Object.hasOwn(planning.scripts, `${prefix}${step.script}`));
}

/**
 * A step run outside its script: `node_modules/.bin` is no longer on PATH, so a tool gets the manager's launcher
 * (`npx vitest run`), after any `NAME=value` assignments. `extra` goes at the end, where the tool reads it.
 */
export function directCommand(manager: PackageManager, command: string, extra?: string): string {
  const [, env = '', written = ''] = /^((?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*)([\s\S]*)$/.exec(command.trim()) ?? [];
  // Another manager's launcher (`pnpm vitest run` where pnpm is missing and the gates use npm) is dropped: the
  // tool is started by the gates' own manager instead.
  const foreign = foreignLauncher.exec(written);
  const rest = foreign && foreign[1] !== launcherOf[manager] ? (foreign[2] ?? '') : written;
  const program = rest.split(/\s+/)[0] ?? '';
  const launched =
    rest !== written || !(program.includes('/') || selfStarting.has(program)) ? runInstalledTool(manager, rest) : rest;
  return `${env}${launched}${extra ? ` ${extra}` : ''}`;
}

/** `pnpm exec vitest`, `pnpm vitest`, `yarn vitest`, `bunx vitest`, `npx vitest`: the manager, then the tool's words. */
const foreignLauncher = /^(pnpm|pnpx|yarn|bunx|bun|npx)\s+(?:(?:exec|x|dlx)\s+)?((?!run\b|install\b|add\b)[\s\S]+)$/;
const launcherOf: Record<PackageManager, string> = { npm: 'npx', pnpm: 'pnpm', yarn: 'yarn', bun: 'bunx' };

/** The name a gate gets: its job (`lint`, `test`), else its script's name (`lint-css`), else its tool's. */
function gateName(
  planning: ScriptPlanning,
  role: ScriptRole,
  script: string,
  tool: KnownTool | undefined,
  preferRole: boolean,
  target = '',
): string {
  const taken = new Set(planning.candidates.map((candidate) => candidate.name));
  const slug = (text: string) => text.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  const fromScript = slug(script);
  // `typecheck-playground` for the tsc of playground/tsconfig.json, beside the typecheck of the first tsconfig.
  const targetName = slug(target.replace(/(^|\/)tsconfig\.json$/, '')).replace(/-+$/, '');
  const fromTarget = targetName ? `${preferRole ? role : fromScript}-${targetName}` : '';
  const options = [...(preferRole ? [role] : []), fromScript, fromTarget, tool ?? '', role];
  return options.find((name) => name !== '' && !taken.has(name)) ?? role;
}

/** A command as a cache of what already runs sees it: spaces collapsed, launcher dropped. */
function normalized(command: string): string {
  return command
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/^(npx|bunx|pnpm exec|yarn exec|yarn) /, '');
}
