import { describe, expect, it } from 'vitest';
import {
  type ExpressionContext,
  evaluate,
  plainWord,
  referencedSteps,
  substitute,
  substituteCommand,
} from '../../../src/workflow/expressions.ts';
import { parseOutputsFile } from '../../../src/workflow/step-outputs.ts';

const context: ExpressionContext = {
  workflowId: 'w-1',
  inputs: { target: 'prod', empty: '' },
  steps: {
    build: { outcome: 'succeeded', outputs: { file: 'plans/a.md', evil: '$(touch pwned)`id`"; rm -rf ~' } },
    lint: { outcome: 'failed', outputs: {} },
  },
};

describe('workflow expressions', () => {
  it('evaluates comparisons, logic and truthiness', () => {
    expect(evaluate("steps.build.outcome == 'succeeded' && inputs.target != 'dev'", context)).toBe(true);
    expect(evaluate("${{ steps.lint.outcome == 'succeeded' || !inputs.empty }}", context)).toBe(true);
    expect(evaluate('inputs.empty', context)).toBe('');
    expect(evaluate("!(steps.build.outputs.missing == '')", context)).toBe(false);
  });

  it('refuses unknown references, unread steps and broken syntax with the expression named', () => {
    expect(() => evaluate('steps.build.output.file', context)).toThrow(/unknown reference "steps.build.output.file"/);
    expect(() => evaluate('steps.deploy.outcome', context)).toThrow(/step "deploy" has not run/);
    expect(() => evaluate("inputs.target == 'a' &&", context)).toThrow(/ends too early/);
    expect(() => evaluate('process.exit(1)', context)).toThrow(/unknown reference|cannot read/);
    expect(() => referencedSteps('${{ steps.a.outputs.x ) }}')).toThrow(/unexpected/);
    expect(referencedSteps('${{ steps.a.outputs.x }} and ${{ steps.b.outcome }}')).toEqual(['a', 'b']);
  });

  it('puts values into commands as variables, never as shell text', () => {
    const { command, env } = substituteCommand(
      'cat "${{ steps.build.outputs.file }}" ${{ steps.build.outputs.evil }}',
      context,
    );
    expect(command).toBe('cat "${SLUICE_EXPR_1}" ${SLUICE_EXPR_2}');
    expect(env).toEqual({ SLUICE_EXPR_1: 'plans/a.md', SLUICE_EXPR_2: context.steps.build?.outputs.evil });
    expect(substitute('goal: ${{ inputs.target }}', context)).toBe('goal: prod');
    expect(() => substitute('npm test -- ${{ steps.build.outputs.evil }}', context, plainWord)).toThrow(
      /not a plain word/,
    );
    expect(substitute('npm test -- ${{ steps.build.outputs.file }}', context, plainWord)).toBe(
      'npm test -- plans/a.md',
    );
  });
});

describe('$SLUICE_OUTPUTS', () => {
  it('reads name=value lines and heredoc values; the last write wins; __proto__ is ignored', () => {
    expect(
      parseOutputsFile('a=1\nb=x=y\nnotes<<EOF\nline 1\nline 2\nEOF\na=2\n__proto__=polluted\n  junk line\n'),
    ).toEqual({ a: '2', b: 'x=y', notes: 'line 1\nline 2' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
