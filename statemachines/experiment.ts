import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { BudgetGate, BudgetGateProps } from '../lib/patterns/budget-gate';
import { requireInput } from '../lib/patterns/input-check';
import { retryProps } from '../lib/patterns/retry';
import { TaskFunction } from '../lib/task-function';
import { WorkflowStateMachine } from '../lib/workflow-state-machine';

export interface ExperimentWorkflowProps {
  readonly table: dynamodb.ITable;
  readonly bus: events.IEventBus;
  /** @default a daily budget of 0.001 USD per team (a few local runs), deferring runs that do not fit */
  readonly budget?: Partial<Omit<BudgetGateProps, 'table' | 'bus'>>;
}

/**
 * `experiment` (budget gating): `{ request: { team, experimentId, estimatedCostUsd } }` asks the team's
 * daily budget before the expensive step; it proceeds, waits for the next day, or fails with
 * BudgetExceeded. Every run's actual cost is recorded when it ends.
 */
export class ExperimentWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly budget: BudgetGate;
  readonly experimentFunction: TaskFunction;

  constructor(scope: Construct, id: string, props: ExperimentWorkflowProps) {
    super(scope, id);
    this.budget = new BudgetGate(this, 'Budget', { table: props.table, bus: props.bus, defaultLimitUsd: 0.001, period: 'DAY', onExceeded: 'defer', ...props.budget });
    this.experimentFunction = new TaskFunction(this, 'ExperimentFn', { handlerDir: 'call-dependency', memorySize: 1024, timeout: Duration.minutes(15) });
    const run = new tasks.LambdaInvoke(this, 'RunExperiment', {
      lambdaFunction: this.experimentFunction.function,
      payload: sfn.TaskInput.fromObject({ dependency: 'ml-experiment', 'requestId.$': '$.request.experimentId' }),
      payloadResponseOnly: true, retryOnServiceExceptions: false, resultPath: '$.result',
    });
    run.addRetry(retryProps());
    const definition = requireInput(this, [{ path: '$.request.team', type: 'string' }, { path: '$.request.experimentId', type: 'string' }, { path: '$.request.estimatedCostUsd', type: 'number' }],
      this.budget.gate(this, 'CheckBudget', { scope: '$.request.team', estimatePath: '$.request.estimatedCostUsd' }).next(run).next(new sfn.Succeed(this, 'Done')));
    // Long enough to be deferred to the next days.
    this.stateMachine = new WorkflowStateMachine(this, 'Workflow', { workflowName: 'experiment', definition, timeout: Duration.days(7) }).stateMachine;
    this.budget.attach(this.stateMachine, [this.experimentFunction.function]);
  }
}
