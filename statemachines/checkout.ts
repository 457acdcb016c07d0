import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { CircuitBreaker } from '../lib/patterns/circuit-breaker';
import { GracefulDegradation } from '../lib/patterns/graceful-degradation';
import { requireInput } from '../lib/patterns/input-check';
import { retryProps } from '../lib/patterns/retry';
import { TaskFunction } from '../lib/task-function';
import { WorkflowStateMachine } from '../lib/workflow-state-machine';

export interface CheckoutWorkflowProps {
  readonly table: dynamodb.ITable;
  readonly bus: events.IEventBus;
}

/**
 * `checkout` (graceful degradation): pricing is critical; recommendations (behind a circuit breaker,
 * with a fallback when it is open) and loyalty points (5 s timeout) are optional. A failed optional
 * step gives `degraded: true` with its reason and publishes `WorkflowDegraded`; a failed price fails the run.
 */
export class CheckoutWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly recommendationsBreaker: CircuitBreaker;

  constructor(scope: Construct, id: string, props: CheckoutWorkflowProps) {
    super(scope, id);
    const call = (fnId: string, stateName: string, dependency: string, timeout: Duration, resultPath?: string) => {
      // The function may run longer than the step waits: the step's own timeout is what degrades it.
      const fn = new TaskFunction(this, fnId, { handlerDir: 'call-dependency', timeout: Duration.seconds(30) });
      return new tasks.LambdaInvoke(this, stateName, {
        lambdaFunction: fn.function,
        payload: sfn.TaskInput.fromObject({ dependency, 'requestId.$': '$.request.orderId' }),
        payloadResponseOnly: true,
        retryOnServiceExceptions: false,
        taskTimeout: sfn.Timeout.duration(timeout),
        ...(resultPath ? { resultPath } : {}),
      });
    };
    const price = call('PricingFn', 'PriceOrder', 'pricing', Duration.seconds(10), '$.price');
    price.addRetry(retryProps());
    const recommend = call('RecommendationsFn', 'GetRecommendations', 'recommendations', Duration.seconds(10));
    const loyalty = call('LoyaltyFn', 'AddLoyaltyPoints', 'loyalty', Duration.seconds(5));

    this.recommendationsBreaker = new CircuitBreaker(this, 'Recommendations', { table: props.table, bus: props.bus, dependency: 'recommendations', threshold: 3, cooldown: Duration.seconds(30) });
    const degradation = new GracefulDegradation(this, 'Degradation', { bus: props.bus, workflowName: 'checkout' });
    const recommendations = degradation.optional('Recommendations', this.recommendationsBreaker.protect(recommend, { resultPath: '$.value', outputPath: '$.value' }), { fallback: { items: [], source: 'fallback' } });
    const loyaltyPoints = degradation.optional('LoyaltyPoints', loyalty, { fallback: { points: 0, source: 'fallback' } });

    const definition = requireInput(this, [{ path: '$.request.orderId', type: 'string' }],
      price.next(recommendations).next(loyaltyPoints).next(degradation.finish()).next(new sfn.Succeed(this, 'CheckedOut')));
    this.stateMachine = new WorkflowStateMachine(this, 'Workflow', { workflowName: 'checkout', definition }).stateMachine;
  }
}
