import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EXECUTION_STATUS_CHANGE } from '../events';

/** EventBridge's retry policy for every rule target of the app: 8 attempts within 2 hours. */
export const TARGET_RETRY = { maxEventAge: Duration.hours(2), retryAttempts: 8 } as const;

/** A rule target's dead-letter queue: encrypted, TLS only, 14 days (so a failure is attributable). */
export function deadLetterQueue(scope: Construct, id: string): sqs.Queue {
  return new sqs.Queue(scope, id, { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
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
