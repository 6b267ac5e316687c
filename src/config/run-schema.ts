import { z } from 'zod';
import { durationSchema } from './duration.ts';

export const agentNames = ['claude-code', 'codex', 'command'] as const;
export type AgentName = (typeof agentNames)[number];

/** `agent.sandbox`; the same names as process/sandbox's modes (config/ may not import process/). */
export const sandboxModeNames = ['auto', 'required', 'off'] as const;

export const agentSchema = z
  .strictObject({
    name: z.enum(agentNames).default('claude-code').describe('Which agent CLI runs the turns.'),
    command: z
      .string()
      .min(1)
      .optional()
      .describe('For `command`: the shell command; {prompt} or {prompt_file} mark where the prompt goes.'),
    prompt_via: z
      .enum(['argument', 'stdin', 'file'])
      .optional()
      .describe(
        'For `command`: how the prompt reaches it. Default: argument when the command has {prompt}, else stdin.',
      ),
    model: z.string().min(1).optional().describe('Model to ask for.'),
    base_url: z
      .url()
      .optional()
      .describe(
        'API endpoint (a gateway, a proxy): ANTHROPIC_BASE_URL for claude-code; a Responses API provider ending in /v1 for codex.',
      ),
    api_key_env: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
      .optional()
      .describe('For codex with base_url: the variable holding the API key (default OPENAI_API_KEY).'),
    turn_timeout: durationSchema.prefault('30m').describe('Kill an agent turn that runs longer than this.'),
    env: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String))
      .default({})
      .describe('Extra environment for the agent (API endpoints, config folders).'),
    sandbox: z
      .enum(sandboxModeNames)
      .default('auto')
      .describe(
        'Confine what the agent can write to its worktree: `auto` uses the strongest sandbox here (Codex and Claude Code their own, a command agent bubblewrap) and runs unsandboxed, saying so, when there is none; `required` refuses to start a run without one; `off` never sandboxes.',
      ),
    sandbox_writable: z
      .array(
        z.string().refine((path) => path.startsWith('/') || path === '~' || path.startsWith('~/'), {
          message: 'must be an absolute path or start with ~/',
        }),
      )
      .default([])
      .describe(
        'More folders a sandboxed agent may write (absolute or ~/...), e.g. a package cache such as ~/.npm. Everything outside the worktree is read-only otherwise.',
      ),
  })
  .describe('The coding agent `sluice run` drives.');

export const budgetsSchema = z
  .strictObject({
    max_iterations: z.number().int().min(1).default(10).describe('Agent turns per run.'),
    max_time: durationSchema.optional().describe('Wall time per run.'),
    max_usd: z.number().positive().optional().describe('Dollars per run; refused when the cost cannot be known.'),
    max_tokens: z.number().int().positive().optional().describe('Tokens of every kind per run.'),
  })
  .describe('Limits that stop a run; they fail closed.');

export const stallSchema = z
  .strictObject({
    same_failure: z
      .number()
      .int()
      .min(2)
      .default(3)
      .describe('Same failing checks this many iterations in a row: blocked.'),
    no_diff: z.number().int().min(1).default(3).describe('No file changed this many iterations in a row: blocked.'),
  })
  .describe('When a run is stuck, judged on gate state, never on what the agent says.');

export const notifySchema = z
  .strictObject({
    webhook: z.url().optional().describe('POST a Slack-compatible JSON body here when a run ends.'),
    command: z
      .string()
      .min(1)
      .optional()
      .describe('Run this shell command when a run ends (SLUICE_RUN_* variables set).'),
    desktop: z
      .boolean()
      .default(false)
      .describe('Show a desktop notification where one is available (notify-send, osascript).'),
  })
  .describe('Who hears when a run ends.');

const pricesSchema = z.strictObject({
  input: z.number().min(0).describe('USD per million input tokens.'),
  output: z.number().min(0).describe('USD per million output tokens.'),
  cache_read: z.number().min(0).optional().describe('USD per million cache-read tokens.'),
  cache_write: z.number().min(0).optional().describe('USD per million cache-write tokens.'),
});

export const pricingSchema = z
  .record(z.string(), pricesSchema)
  .describe('Prices per model id, overriding or extending the built-in pricing table.');

export type AgentConfig = z.output<typeof agentSchema>;
export type BudgetsConfig = z.output<typeof budgetsSchema>;
export type StallConfig = z.output<typeof stallSchema>;
export type NotifyConfig = z.output<typeof notifySchema>;
export type PricingConfig = z.output<typeof pricingSchema>;
