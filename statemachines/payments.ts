import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { CircuitBreaker } from '../lib/patterns/circuit-breaker';
import { requireInput } from '../lib/patterns/input-check';
import { TaskFunction } from '../lib/task-function';
import { WorkflowStateMachine } from '../lib/workflow-state-machine';

export interface PaymentsWorkflowProps {
  readonly table: dynamodb.ITable;
  readonly bus: events.IEventBus;
  /** @default 5 */
  readonly threshold?: number;
  /** @default Duration.seconds(30) */
  readonly cooldown?: Duration;
}

/**
 * `payments` (circuit breaker): charges an order through the `payments` dependency, protected by a
 * circuit breaker. Input `{ request: { orderId, amount } }`; output `{ ..., charge: { confirmation } }`.
 * While the circuit is OPEN the run fails fast with `CircuitOpen` and the dependency is not called.
 */
export class PaymentsWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly breaker: CircuitBreaker;
  readonly dependencyFunction: TaskFunction;

  constructor(scope: Construct, id: string, props: PaymentsWorkflowProps) {
    super(scope, id);
    this.dependencyFunction = new TaskFunction(this, 'PaymentsApiFn', { handlerDir: 'call-dependency', timeout: Duration.seconds(10) });
    this.breaker = new CircuitBreaker(this, 'Payments', {
      table: props.table, bus: props.bus, dependency: 'payments', threshold: props.threshold ?? 5, window: Duration.seconds(60), cooldown: props.cooldown ?? Duration.seconds(30),
    });
    // The call itself is not retried here: each failed attempt is one failure the breaker counts.
    const charge = new tasks.LambdaInvoke(this, 'ChargePayment', {
      lambdaFunction: this.dependencyFunction.function,
      payload: sfn.TaskInput.fromObject({ dependency: 'payments', 'requestId.$': '$.request.orderId', 'amount.$': '$.request.amount' }),
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
      taskTimeout: sfn.Timeout.duration(Duration.seconds(10)),
    });
    const protectedCharge = this.breaker.protect(charge, { resultPath: '$.charge' });
    const definition = requireInput(this, [{ path: '$.request.orderId', type: 'string' }, { path: '$.request.amount', type: 'number' }],
      protectedCharge.next(new sfn.Succeed(this, 'Charged')));
    this.stateMachine = new WorkflowStateMachine(this, 'Workflow', { workflowName: 'payments', definition }).stateMachine;
  }
}
