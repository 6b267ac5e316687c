import type { SluiceConfig } from '../config/schema.ts';

/**
 * The config with every cached gate keyed by the whole tree (`**`: every file git does not ignore), for the
 * Stop hook, whose answer goes to the agent itself. A gate's `inputs` are the user's word on what its result
 * depends on, which is fine for `sluice check` in a session the user watches; but an agent that got a pass
 * and then broke a file outside them (`lib/base.js`, which `src/add.js` imports, outside `["src/**",
 * "test/**"]`) would be let stop on that pass. Gates without inputs are never cached, and stay so.
 */
export function wholeTreeInputs(config: SluiceConfig): SluiceConfig {
  const gates = Object.fromEntries(
    Object.entries(config.gates).map(([name, gate]) => [
      name,
      gate.inputs && gate.inputs.length > 0 ? { ...gate, inputs: ['**'] } : gate,
    ]),
  );
  return { ...config, gates };
}
