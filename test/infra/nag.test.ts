import { App, ArnFormat, Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as fs from 'fs';
import * as path from 'path';
import { buildApp } from '../../bin/app';
import { acceptedWildcards, ALLOWED_WORKFLOW_WILDCARDS } from '../../lib/nag';
import { WorkflowStateMachine } from '../../lib/workflow-state-machine';

// cdk-nag (AwsSolutions) runs at every synth and fails it on any finding that is not acknowledged.
// Each test builds its own app (no bundling) and breaks one thing in it.
const CDK_JSON_CONTEXT = (JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;
const fresh = (context: Record<string, unknown> = {}) => buildApp(new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } }));
/** The synth error's message, or '' when it synthesized. */
const synthError = (app: App) => {
  try {
    app.synth();
    return '';
  } catch (e) {
    return (e as Error).message;
  }
};
const defaultPolicyOf = (role: iam.IRole) => (role as iam.Role).node.findChild('DefaultPolicy').node.defaultChild as iam.CfnPolicy;
const acknowledged = (c: { node: { metadata: { type: string; data: unknown }[] } }, rule: string) => c.node.metadata
  .some((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && Object.keys(m.data as object).some((k) => k.replace(/^annotation::/i, '') === rule));

describe('AwsSolutions-IAM5: wildcards are acknowledged per resource AND per action', () => {
  // With cdk.json's flags, minimizePolicies merges the added statement into the X-Ray/Logs `*` one.
  describe.each([['as in tests (no feature flags)', {}], ['as deployed (cdk.json feature flags: merged statements)', CDK_JSON_CONTEXT]])('%s', (_, context) => {
    test('the app synthesizes with zero unacknowledged findings', () => {
      expect(synthError(fresh(context).app)).toBe('');
    });
    test('dynamodb:DeleteTable on * added to a workflow role fails synth', () => {
      const { app, stack } = fresh(context);
      stack.pipeline.stateMachine.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:DeleteTable'], resources: ['*'] }));
      expect(synthError(app)).toMatch(/Orchestration\/Pipeline\/Workflow\/StateMachine\/Role\/DefaultPolicy\/Resource[\s\S]*AwsSolutions-IAM5\[Resource::\*\]/);
    });
    test('states:StopExecution on * added to a workflow role fails synth', () => {
      const { app, stack } = fresh(context);
      stack.parent.stateMachine.addToRolePolicy(new iam.PolicyStatement({ actions: ['states:StopExecution'], resources: ['*'] }));
      expect(synthError(app)).toMatch(/Orchestration\/Parent\/Workflow\/StateMachine\/Role\/DefaultPolicy\/Resource[\s\S]*AwsSolutions-IAM5\[Resource::\*\]/);
    });
  });

  test('the accepted findings of the app: `*` for logging/X-Ray, function qualifiers, and the .sync child\'s executions (`:*`)', () => {
    const { stack } = fresh();
    const pipeline = acceptedWildcards(defaultPolicyOf(stack.pipeline.stateMachine.role)).map((a) => a.finding);
    expect(pipeline).toContain('Resource::*');
    expect(pipeline.filter((f) => /^Resource::<[A-Za-z0-9]+\.Arn>:\*$/.test(f))).toHaveLength(stack.pipeline.functions.length);
    const parent = acceptedWildcards(defaultPolicyOf(stack.parent.stateMachine.role)).map((a) => a.finding);
    expect(parent).toContain(`Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${stack.resolve((stack.pipeline.stateMachine.node.defaultChild as sfn.CfnStateMachine).logicalId)}"}]}]}:*`);
    // A statement that mixes an accepted action with another loses the acknowledgement.
    stack.pipeline.stateMachine.addToRolePolicy(new iam.PolicyStatement({ actions: ['xray:PutTraceSegments', 'dynamodb:DeleteTable'], resources: ['*'] }));
    expect(acceptedWildcards(defaultPolicyOf(stack.pipeline.stateMachine.role)).map((a) => a.finding)).not.toContain('Resource::*');
  });

  test('dynamodb:* on * (a wildcard action) fails synth', () => {
    const { app, stack } = fresh();
    stack.pipeline.stateMachine.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:*'], resources: ['*'] }));
    expect(synthError(app)).toMatch(/AwsSolutions-IAM5\[Action::dynamodb:\*\]/);
  });

  test('anything but lambda:InvokeFunction on a function\'s qualifiers (`<fn>:*`) fails synth', () => {
    const { app, stack } = fresh();
    stack.pipeline.stateMachine.addToRolePolicy(new iam.PolicyStatement({ actions: ['lambda:UpdateFunctionCode'], resources: [`${stack.pipeline.functions[0].function.functionArn}:*`] }));
    expect(synthError(app)).toMatch(/AwsSolutions-IAM5\[Resource::<PipelineValidateFnFunction[A-Z0-9]+\.Arn>:\*\]/);
  });

  test('a prefix-wide execution grant (`execution:<name>*`, no `:`) fails synth', () => {
    const { app, stack } = fresh();
    // What StepFunctionsStartExecution grants by itself (statemachines/parent.ts replaces it).
    const name = stack.splitArn(stack.pipeline.stateMachine.stateMachineArn, ArnFormat.COLON_RESOURCE_NAME).resourceName;
    stack.parent.stateMachine.addToRolePolicy(new iam.PolicyStatement({
      actions: ['states:DescribeExecution'],
      resources: [stack.formatArn({ service: 'states', resource: 'execution', resourceName: `${name}*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
    }));
    const prefixWide = /^Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:\{"Fn::Select".*\}\*$/;
    const findings = acceptedWildcards(defaultPolicyOf(stack.parent.stateMachine.role)).map((a) => a.finding);
    expect(findings.some((f) => f.endsWith('}:*'))).toBe(true);
    expect(findings.some((f) => prefixWide.test(f))).toBe(false);
    expect(synthError(app)).toMatch(/AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:\{"Fn::Select".*\}\*\]/);
  });

  test('X-Ray on * is accepted on workflow roles only: on a Lambda role it fails synth', () => {
    const { app, stack } = fresh();
    stack.pipeline.functions[0].role.addToPolicy(new iam.PolicyStatement({ actions: ['xray:PutTraceSegments'], resources: ['*'] }));
    expect(synthError(app)).toMatch(/Orchestration\/Pipeline\/ValidateFn\/Role\/DefaultPolicy\/Resource[\s\S]*AwsSolutions-IAM5\[Resource::\*\]/);
  });

  test('with a concrete account and region (as `cdk deploy` renders ARNs) the app still synthesizes clean', () => {
    const saved = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
    Object.assign(process.env, { CDK_DEFAULT_ACCOUNT: '123456789012', CDK_DEFAULT_REGION: 'eu-west-1' });
    try {
      const { app } = fresh(CDK_JSON_CONTEXT);
      expect(synthError(app)).toBe('');
    } finally {
      for (const [k, v] of [['CDK_DEFAULT_ACCOUNT', saved.account], ['CDK_DEFAULT_REGION', saved.region]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  test('only the four documented wildcard kinds are acknowledged, each for named actions', () => {
    expect(ALLOWED_WORKFLOW_WILDCARDS).toHaveLength(4);
    for (const w of ALLOWED_WORKFLOW_WILDCARDS) {
      expect(w.actions.length).toBeGreaterThan(0);
      for (const a of w.actions) expect(a).not.toContain('*');
    }
  });
});

describe('AwsSolutions-SQS3 (a queue without a DLQ) is acknowledged on dead-letter queues only', () => {
  test('a queue that is not a DLQ, without a DLQ of its own, fails synth', () => {
    const { app, stack } = fresh();
    new sqs.Queue(stack, 'WorkQueue', { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true });
    expect(synthError(app)).toMatch(/AwsSolutions-SQS3[\s\S]*Orchestration\/WorkQueue\/Resource|Orchestration\/WorkQueue\/Resource[\s\S]*AwsSolutions-SQS3/);
  });
  test('each DLQ and on-failure queue carries its own acknowledgement; the stack carries none', () => {
    const { app, stack } = fresh();
    app.synth();
    const queues = stack.node.findAll().filter((c): c is sqs.CfnQueue => c instanceof sqs.CfnQueue);
    expect(queues.length).toBeGreaterThanOrEqual(8);
    for (const q of queues) expect(acknowledged(q, 'AwsSolutions-SQS3')).toBe(true);
    expect(acknowledged(stack, 'AwsSolutions-SQS3')).toBe(false);
  });
});

describe('AwsSolutions-SF1 (log ALL events)', () => {
  test('acknowledged on each state machine that logs less than ALL, and not on one that logs ALL', () => {
    const { app, stack } = fresh();
    const debug = new WorkflowStateMachine(stack, 'Debug', { workflowName: 'debug', definition: new sfn.Pass(stack, 'Noop'), timeout: Duration.minutes(1), logging: { level: sfn.LogLevel.ALL, includeExecutionData: true } });
    expect(synthError(app)).toBe('');
    expect(acknowledged(debug.stateMachine, 'AwsSolutions-SF1')).toBe(false);
    const machines = stack.node.findAll().filter((c) => c instanceof WorkflowStateMachine && c !== debug) as WorkflowStateMachine[];
    for (const m of machines) expect(acknowledged(m.stateMachine, 'AwsSolutions-SF1')).toBe(true);
    expect(acknowledged(stack, 'AwsSolutions-SF1')).toBe(false);
  });
});
