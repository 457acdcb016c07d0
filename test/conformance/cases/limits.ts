/** Service limits that shape what an execution does: the history's 25,000 events. */
import type { ConformanceCase } from '../case';

const LOOP = {
  StartAt: 'Loop',
  States: {
    Loop: { Type: 'Choice', Choices: [{ Variable: '$.spin', BooleanEquals: true, Next: 'Loop' }], Default: 'Done' },
    Done: { Type: 'Succeed' },
  },
};

export const cases: ConformanceCase[] = [
  {
    name: 'a Choice that loops forever fails at the 25,000th event, which is the failure itself',
    source: 'https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html (25,000 events per Standard execution); recorded AWS shape (id 25000 ExecutionFailed after ChoiceStateExited 24999, States.Runtime, cause text) as measured in github.com/floci-io/floci issue #2734',
    definition: LOOP,
    input: { spin: true },
    expect: {
      status: 'FAILED',
      error: 'States.Runtime',
      cause: 'The execution reached the maximum number of history events (25000).',
      check: (r) => {
        expect(r.history).toHaveLength(25_000);
        const [last, before] = [r.history[24_999], r.history[24_998]];
        expect(last).toMatchObject({ id: 25_000, type: 'ExecutionFailed', previousEventId: 24_999 });
        expect(before).toMatchObject({ id: 24_999, type: 'ChoiceStateExited' });
      },
    },
  },
  {
    name: 'the same loop that stops spinning ends normally well under the limit',
    source: 'https://states-language.net/spec.html#choice-state (Default taken when no rule matches)',
    definition: LOOP,
    input: { spin: false },
    expect: { status: 'SUCCEEDED', output: { spin: false }, events: ['ExecutionStarted', 'ChoiceStateEntered', 'ChoiceStateExited', 'SucceedStateEntered', 'SucceedStateExited', 'ExecutionSucceeded'] },
  },
];
