import type { z } from 'zod';

interface GateShape {
  kind: string;
  run?: string | undefined;
  services: string[];
  bench?: unknown;
  invariant?: unknown;
  log?: { of?: string | undefined } | undefined;
  http?: unknown;
  browser?: unknown;
}

const blockKinds = ['bench', 'invariant', 'http', 'browser'] as const;
/** Kinds that are nothing without their block; `bench` and `invariant` alone label a plain command. */
const blockRequired = new Set<string>(['http', 'browser', 'log']);

/**
 * What the gate schema cannot say alone: http, browser and log gates have their block, blocks sit
 * on their kind, named services exist, and a gate without `run` has something else to judge.
 */
export function checkGateKinds(
  config: { gates: Record<string, GateShape>; services: Record<string, unknown> },
  context: z.RefinementCtx,
): void {
  for (const [name, gate] of Object.entries(config.gates)) {
    const issue = (path: Array<string | number>, message: string) =>
      context.addIssue({ code: 'custom', path: ['gates', name, ...path], message });
    for (const kind of blockKinds) {
      if (gate.kind !== kind && gate[kind] !== undefined) {
        issue(['kind'], `a \`${kind}\` block needs \`kind: ${kind}\``);
      }
    }
    if (blockRequired.has(gate.kind) && gate[gate.kind as 'http' | 'browser' | 'log'] === undefined) {
      issue([gate.kind], `a gate of kind ${gate.kind} needs its \`${gate.kind}:\` block`);
    }
    gate.services.forEach((service, index) => {
      if (!Object.hasOwn(config.services, service)) {
        const known = Object.keys(config.services);
        issue(
          ['services', index],
          `unknown service "${service}"${known.length > 0 ? ` (services: ${known.join(', ')})` : ''}`,
        );
      }
    });
    const logOf = gate.log?.of;
    if (logOf !== undefined && !gate.services.includes(logOf)) {
      issue(['log', 'of'], `"${logOf}" must also be in this gate's services`);
    }
    const needsNoCommand = gate.kind === 'http' || gate.kind === 'browser' || logOf !== undefined;
    if (gate.run === undefined && !needsNoCommand) issue(['run'], 'missing "run" (expected string)');
    if (gate.run !== undefined && (gate.kind === 'http' || gate.kind === 'browser')) {
      issue(['run'], `a ${gate.kind} gate runs no command of its own; start what it needs as a service`);
    }
  }
}
