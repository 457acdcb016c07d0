import { App, CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { buildApp } from '../../bin/app';
import { checkChoicePaths, describeChoicePathFinding } from '../../local/choice-paths';

// One synthesis, as in stack.test.ts. Every state machine of the app, by construct path.
// No bundling: the definitions do not depend on the Lambda code, and skipping it keeps this synthesis to seconds.
const { stack } = buildApp(new App({ context: { 'aws:cdk:bundling-stacks': [] } }));
const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
const pathOf = new Map(stack.node.findAll().filter((c) => c instanceof sfn.CfnStateMachine).map((c) => [stack.getLogicalId(c as CfnElement), c.node.path]));

/**
 * The DefinitionString as ASL: an Fn::Join of strings and tokens (ARNs, names), and tokens only
 * ever stand inside JSON string values, so a placeholder keeps the JSON valid.
 */
function definitionOf(definitionString: unknown): { States: Record<string, Record<string, unknown>> } {
  const join = (definitionString as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  const text = join ? join[1].map((part) => (typeof part === 'string' ? part : 'TOKEN')).join(join[0]) : (definitionString as string);
  return JSON.parse(text);
}

const machines = Object.entries(resources)
  .filter(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine')
  .map(([logicalId, r]) => ({ name: pathOf.get(logicalId) ?? logicalId, definition: definitionOf(r.Properties.DefinitionString) }));

test('the app has state machines with Choice states to check', () => {
  const choices = machines.flatMap((m) => Object.values(m.definition.States).filter((s) => s.Type === 'Choice'));
  expect(machines.length).toBeGreaterThan(10);
  expect(choices.length).toBeGreaterThan(20);
});

test.each(machines.map((m) => [m.name, m.definition] as const))('no Choice of %s reads a path that some way into it does not set', (_name, definition) => {
  expect(checkChoicePaths(definition).map(describeChoicePathFinding)).toEqual([]);
});

test('the circuit breaker writing its probe answer over probe.granted (the bug fixed in 69c67ea) is found', () => {
  const m = machines.find((x) => Object.keys(x.definition.States).some((n) => /^Acquire\w+Probe$/.test(n)))!;
  const [, acquire] = Object.entries(m.definition.States).find(([n]) => /^Acquire\w+Probe$/.test(n))!;
  const answer = String(acquire.ResultPath).split('.').pop()!;
  const buggy = JSON.parse(JSON.stringify(m.definition).split(`.${answer}`).join('.probe'));
  expect(checkChoicePaths(buggy).map((f) => [f.choice, f.path.split('.').slice(-2).join('.'), f.reason])).toEqual([[expect.stringMatching(/^Was\w+Probe$/), 'probe.granted', 'maybe-absent']]);
});
