import { Aspects, CfnResource, IAspect, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { rules, NagRuleCompliance } from 'cdk-nag';
// The function cdk-nag itself uses to turn a Resource into the text of an IAM5 finding id.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import { IConstruct } from 'constructs';
import { deadLetterQueueUses } from './patterns/status-change-rule';

/**
 * The actions CDK grants a state machine for logging and X-Ray tracing. None has resource-level
 * permissions, so `Resource: *` is the only way to grant them:
 * https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html#cloudwatch-iam-policy and
 * https://docs.aws.amazon.com/xray/latest/devguide/security_iam_id-based-policy-examples.html
 */
export const NO_RESOURCE_LEVEL_ACTIONS: readonly string[] = [
  'xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets',
  'logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries', 'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups',
];

/** One kind of AwsSolutions-IAM5 finding that is acknowledged, and on what condition. */
export interface WildcardAllowance {
  /**
   * What the finding (the text inside `AwsSolutions-IAM5[...]`) must match. When it has capture
   * groups, the first one that matched must be the logical ID of a `refersTo` resource of the stack.
   */
  readonly finding: RegExp;
  /** @default no reference is checked */
  readonly refersTo?: string;
  /** Every action of EVERY Allow statement of the policy that carries the finding must be one of these. */
  readonly actions: readonly string[];
  /** The policies (construct path) it applies to. @default the roles of state machines (`/StateMachine/Role/`) */
  readonly path?: RegExp;
  readonly reason: string;
}

// An execution ARN of one named state machine, `execution:<name>:*`, in both forms CDK renders the name.
const EXECUTIONS_OF_ONE_MACHINE = /^Resource::arn:(?:<AWS::Partition>|aws[a-z-]*):states:(?:<AWS::Region>|[a-z0-9-]+):(?:<AWS::AccountId>|\d{12}):execution:(?:<([A-Za-z0-9]+)\.Name>|\{"Fn::Select":\[6,\{"Fn::Split":\[":",\{"Ref":"([A-Za-z0-9]+)"\}\]\}\]\}):\*$/;

/**
 * The only wildcards acknowledged, each per resource AND per action: a finding is acknowledged only
 * when every statement carrying it grants nothing but the listed actions (so `dynamodb:DeleteTable`
 * on `*` next to X-Ray's `*` fails synth). Anything else found by AwsSolutions-IAM5 fails synth.
 */
export const ALLOWED_WORKFLOW_WILDCARDS: readonly WildcardAllowance[] = [
  {
    finding: /^Resource::\*$/, actions: NO_RESOURCE_LEVEL_ACTIONS,
    reason: 'X-Ray (PutTraceSegments, GetSamplingRules, ...) and CloudWatch Logs delivery (CreateLogDelivery, ...) have no resource-level permissions; no other action is granted on *.',
  },
  {
    finding: /^Resource::<([A-Za-z0-9]+)\.Arn>:\*$/, refersTo: 'AWS::Lambda::Function', actions: ['lambda:InvokeFunction'],
    reason: 'lambda:InvokeFunction on the versions and aliases (qualifiers) of this workflow\'s own Lambda functions, as granted by LambdaInvoke.',
  },
  {
    finding: EXECUTIONS_OF_ONE_MACHINE, refersTo: 'AWS::StepFunctions::StateMachine', actions: ['states:DescribeExecution', 'states:StopExecution'],
    reason: 'DescribeExecution/StopExecution on the executions (execution:<name>:*) of this workflow\'s own child state machine, which a .sync task must describe and stop; their names are not known in advance.',
  },
  {
    finding: EXECUTIONS_OF_ONE_MACHINE, refersTo: 'AWS::StepFunctions::StateMachine', actions: ['states:GetExecutionHistory'], path: /\/SettleFn\/Role\//,
    reason: 'GetExecutionHistory on the executions of the budgeted workflows only (execution:<name>:*, one state machine each), to price a run that has ended; execution names are not known in advance.',
  },
];

const WORKFLOW_ROLE = /\/StateMachine\/Role\//;

type Statement = { Effect?: string; Action?: string | string[]; NotAction?: unknown; Resource?: unknown; NotResource?: unknown };
const asArray = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

/**
 * The AwsSolutions-IAM5 findings of one policy that ALLOWED_WORKFLOW_WILDCARDS accepts, with the
 * reason for each. Pure: reads the policy as it would be synthesized now.
 */
export function acceptedWildcards(policy: iam.CfnPolicy): { finding: string; reason: string }[] {
  const findings = rules.iam.IAMNoWildcardPermissions(policy as CfnResource);
  if (!Array.isArray(findings)) {
    if (findings === NagRuleCompliance.NON_COMPLIANT) throw new Error(`${policy.node.path}: unexpected IAM5 result`);
    return [];
  }
  const stack = Stack.of(policy);
  const statements = (asArray((stack.resolve(policy.policyDocument) as { Statement?: Statement[] }).Statement)).filter((s) => s.Effect === 'Allow');
  let types: Map<string, string> | undefined;
  const typeOf = (logicalId: string) => {
    types ??= new Map(stack.node.findAll().filter(CfnResource.isCfnResource).map((c) => [stack.resolve(c.logicalId) as string, c.cfnResourceType]));
    return types.get(logicalId);
  };
  const accepted: { finding: string; reason: string }[] = [];
  for (const finding of findings) {
    // The statements of this policy that produce the finding (as cdk-nag forms it).
    const carriers = statements.filter((s) => (finding.startsWith('Resource::')
      ? asArray(s.Resource).some((r) => `Resource::${flattenCfnReference(r)}` === finding)
      : asArray(s.Action).some((a) => `Action::${a}` === finding)));
    const allowance = ALLOWED_WORKFLOW_WILDCARDS.find((w) => {
      if (!(w.path ?? WORKFLOW_ROLE).test(policy.node.path)) return false;
      const m = w.finding.exec(finding);
      if (!m) return false;
      if (w.refersTo && typeOf(m.slice(1).find((g) => g !== undefined) ?? '') !== w.refersTo) return false;
      return carriers.length > 0 && carriers.every((s) => s.NotAction === undefined && asArray(s.Action).length > 0 && asArray(s.Action).every((a) => w.actions.includes(a)));
    });
    if (allowance) accepted.push({ finding, reason: allowance.reason });
  }
  return accepted;
}

const SQS3_REASON = 'This queue is itself a dead-letter queue or an on-failure destination; a DLQ of a DLQ adds nothing (its depth is alarmed instead).';

/**
 * At synthesis (after every statement has been added, so a later `addToRolePolicy` is judged too):
 * acknowledges the IAM5 findings that `acceptedWildcards` accepts, and AwsSolutions-SQS3 on each
 * queue that the stack uses as a dead-letter queue or an on-failure destination, and on no other.
 */
export class AcknowledgeAcceptedFindings implements IAspect {
  visit(node: IConstruct): void {
    if (node instanceof iam.CfnPolicy) {
      for (const a of acceptedWildcards(node)) Validations.of(node).acknowledge({ id: `AwsSolutions-IAM5[${a.finding}]`, reason: a.reason });
    } else if (Stack.isStack(node)) {
      for (const queue of deadLetterQueueUses(node).keys()) Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS3', reason: SQS3_REASON });
    }
  }
}

/** Registers AcknowledgeAcceptedFindings on the scope (once). */
export function acknowledgeAcceptedFindings(scope: IConstruct): void {
  if (Aspects.of(scope).all.some((a) => a instanceof AcknowledgeAcceptedFindings)) return;
  Aspects.of(scope).add(new AcknowledgeAcceptedFindings());
}
