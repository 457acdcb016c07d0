import { CfnResource, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { rules, NagRuleCompliance } from 'cdk-nag';
import { IConstruct } from 'constructs';

/**
 * The only wildcard kinds a workflow role may hold, with the reason a reviewer gets:
 * anything else found by AwsSolutions-IAM5 stays unacknowledged and fails synth.
 */
export const ALLOWED_WORKFLOW_WILDCARDS: readonly { pattern: RegExp; reason: string; path?: RegExp }[] = [
  { pattern: /^Resource::\*$/, reason: 'X-Ray (PutTraceSegments, GetSamplingRules) and CloudWatch Logs delivery (CreateLogDelivery, ...) have no resource-level permissions.' },
  { pattern: /^Resource::<[A-Za-z0-9]+\.Arn>:\*$/, reason: 'Versions and aliases (qualifiers) of this workflow\'s own Lambda functions, as granted by LambdaInvoke.' },
  { pattern: /^Resource::arn:.+:states:.+:execution:.+\*$/, reason: 'Executions of this workflow\'s own child state machine, which a .sync task must describe and stop; their names are not known in advance.' },
  {
    pattern: /^Resource::arn:.+:states:.+:execution:.+:\*$/, path: /\/SettleFn\/Role\//,
    reason: 'GetExecutionHistory on the executions of the budgeted workflows only (one state machine each), to price a run that has ended; execution names are not known in advance.',
  },
];

/**
 * Acknowledges, finding by finding, the AwsSolutions-IAM5 wildcards of workflow roles (policies
 * under a `StateMachine/Role`), and of the roles an entry names by `path`, that match
 * ALLOWED_WORKFLOW_WILDCARDS. Call after the stack is built.
 */
export function acknowledgeWorkflowWildcards(scope: IConstruct): string[] {
  const acknowledged: string[] = [];
  for (const node of scope.node.findAll()) {
    if (!(node instanceof iam.CfnPolicy)) continue;
    const workflowRole = node.node.path.includes('/StateMachine/Role/');
    const findings = rules.iam.IAMNoWildcardPermissions(node as CfnResource);
    if (!Array.isArray(findings)) {
      if (findings === NagRuleCompliance.NON_COMPLIANT) throw new Error(`${node.node.path}: unexpected IAM5 result`);
      continue;
    }
    for (const finding of findings) {
      const allowed = ALLOWED_WORKFLOW_WILDCARDS.find((w) => w.pattern.test(finding) && (w.path ? w.path.test(node.node.path) : workflowRole));
      if (!allowed) continue;
      Validations.of(node).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason: allowed.reason });
      acknowledged.push(`${node.node.path} ${finding}`);
    }
  }
  return acknowledged;
}
