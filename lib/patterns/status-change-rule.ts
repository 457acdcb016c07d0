import { CfnResource, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EXECUTION_STATUS_CHANGE } from '../events';

/** EventBridge's retry policy for every rule target of the app: 8 attempts within 2 hours. */
export const TARGET_RETRY = { maxEventAge: Duration.hours(2), retryAttempts: 8 } as const;

/**
 * A dead-letter queue (of a rule target) or an on-failure destination (of an asynchronously invoked
 * function): encrypted, TLS only, 14 days (so a failure is attributable). Once the stack uses it as
 * one, `deadLetterQueueUses` finds it: cdk-nag's SQS3 is acknowledged on it and its depth is alarmed.
 */
export function deadLetterQueue(scope: Construct, id: string): sqs.Queue {
  return new sqs.Queue(scope, id, { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
}

/**
 * Every queue of the stack that something uses as a dead-letter queue or an on-failure destination
 * (rule targets, Lambda async invoke configs, Lambda DLQs, SQS redrive policies, event source
 * mappings), each with what uses it (construct paths). Read from the resources as they would be
 * synthesized, so a queue wired by any construct is found; call it at synthesis (an aspect, a validation).
 */
export function deadLetterQueueUses(stack: Stack): Map<sqs.CfnQueue, string[]> {
  const resources = stack.node.findAll().filter(CfnResource.isCfnResource);
  const queues = new Map(resources.filter((r): r is sqs.CfnQueue => r instanceof sqs.CfnQueue).map((q) => [stack.resolve(q.logicalId) as string, q]));
  const uses = new Map<sqs.CfnQueue, string[]>();
  const use = (arn: unknown, user: CfnResource) => {
    const getAtt = (stack.resolve(arn) as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt'];
    const queue = getAtt && getAtt[1] === 'Arn' ? queues.get(getAtt[0]) : undefined;
    if (queue) uses.set(queue, [...(uses.get(queue) ?? []), user.node.path]);
  };
  type Resolved = Record<string, any> | undefined;
  for (const r of resources) {
    if (r instanceof events.CfnRule) for (const t of (stack.resolve(r.targets) ?? []) as Resolved[]) use(t?.deadLetterConfig?.arn, r);
    else if (r instanceof lambda.CfnEventInvokeConfig) use((stack.resolve(r.destinationConfig) as Resolved)?.onFailure?.destination, r);
    else if (r instanceof lambda.CfnEventSourceMapping) use((stack.resolve(r.destinationConfig) as Resolved)?.onFailure?.destination, r);
    else if (r instanceof lambda.CfnFunction) use((stack.resolve(r.deadLetterConfig) as Resolved)?.targetArn, r);
    else if (r instanceof sqs.CfnQueue) use((stack.resolve(r.redrivePolicy) as Resolved)?.deadLetterTargetArn, r);
  }
  return uses;
}

export interface ExecutionStatusRuleProps {
  /** The end statuses that trigger the target. */
  readonly statuses: readonly ('SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED')[];
  readonly description: string;
  /** The target, given the rule's dead-letter queue and retry policy. */
  readonly target: (options: { deadLetterQueue: sqs.IQueue; maxEventAge: Duration; retryAttempts: number }) => events.IRuleTarget;
  /** What the owning construct's users must call; synth fails with it when nothing is watched. */
  readonly attachHint: string;
}

/**
 * A rule on the default bus for the Step Functions Execution Status Change events of the state
 * machines passed to `watch()` (pool reapers, budget settlement, teardown recovery), with a
 * dead-letter queue and the app's retry policy. Synth fails while it watches nothing.
 */
export class ExecutionStatusRule extends Construct {
  readonly rule: events.Rule;
  readonly deadLetterQueue: sqs.Queue;
  private readonly watched: sfn.IStateMachine[] = [];

  constructor(scope: Construct, id: string, props: ExecutionStatusRuleProps) {
    super(scope, id);
    this.deadLetterQueue = deadLetterQueue(this, 'Dlq');
    this.rule = new events.Rule(this, 'Rule', {
      description: props.description,
      eventPattern: { source: [EXECUTION_STATUS_CHANGE.source], detailType: [EXECUTION_STATUS_CHANGE.detailType], detail: { status: [...props.statuses], stateMachineArn: [] as string[] } },
      targets: [props.target({ deadLetterQueue: this.deadLetterQueue, ...TARGET_RETRY })],
    });
    this.node.addValidation({ validate: () => (this.watched.length === 0 ? [`${scope.node.path}: no state machine is attached; ${props.attachHint}`] : []) });
  }

  /** Adds the state machine to the rule; false when it was already watched. */
  watch(stateMachine: sfn.IStateMachine): boolean {
    if (this.watched.includes(stateMachine)) return false;
    this.watched.push(stateMachine);
    this.rule.addEventPattern({ detail: { stateMachineArn: [stateMachine.stateMachineArn] } });
    return true;
  }
}
