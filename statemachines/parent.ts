import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { retryProps } from '../lib/patterns/retry';
import { TaskFunction } from '../lib/task-function';
import { WorkflowStateMachine } from '../lib/workflow-state-machine';
import { PIPELINE_REQUESTED } from '../lib/events';

/**
 * StepFunctionsStartExecution whose `.sync` grant names the child's executions exactly:
 * CDK grants DescribeExecution/StopExecution on `execution:<name>*`, which also covers the executions
 * of every state machine whose name starts with the child's (`Orchestration-pipeline-v2`, ...);
 * this grants them on `execution:<name>:*` only.
 */
export class StartChildExecution extends tasks.StepFunctionsStartExecution {
  constructor(scope: Construct, id: string, props: tasks.StepFunctionsStartExecutionProps) {
    super(scope, id, props);
    if (props.integrationPattern !== sfn.IntegrationPattern.RUN_JOB) return;
    const stack = Stack.of(this);
    const name = stack.splitArn(props.stateMachine.stateMachineRef.stateMachineArn, ArnFormat.COLON_RESOURCE_NAME).resourceName;
    const executions = stack.formatArn({ service: 'states', resource: 'execution', resourceName: `${name}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    // taskPolicies are read when the state machine binds its states, after this constructor.
    const policies = this.taskPolicies ?? [];
    const i = policies.findIndex((p) => p.actions.includes('states:DescribeExecution'));
    if (i < 0) throw new Error(`${this.node.path}: StepFunctionsStartExecution no longer grants states:DescribeExecution; review StartChildExecution`);
    policies[i] = new iam.PolicyStatement({ actions: ['states:DescribeExecution', 'states:StopExecution'], resources: [executions] });
  }
}

export interface ParentWorkflowProps {
  /** The child workflow run and waited for. */
  readonly pipeline: sfn.IStateMachine;
  /** The bus the fire-and-forget child is requested on. */
  readonly bus: events.IEventBus;
  /** How many times a failed waited child is started again. @default 1 */
  readonly childRetries?: number;
}

/**
 * `parent` (workflow of workflows): requests one `pipeline` fire-and-forget through an event on the
 * bus, runs another as a child and waits for it (`startExecution.sync:2`, retried once when it
 * fails), then reports each child's name, status and duration.
 */
export class ParentWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly functions: TaskFunction[];

  constructor(scope: Construct, id: string, props: ParentWorkflowProps) {
    super(scope, id);
    const childRetries = props.childRetries ?? 1;
    if (!Number.isInteger(childRetries) || childRetries < 0 || childRetries > 5) {
      throw new Error(`${this.node.path}: ParentWorkflowProps.childRetries must be an integer from 0 to 5`);
    }
    const validateFn = new TaskFunction(this, 'ValidateFn', { handlerDir: 'validate-request' });
    const summarizeFn = new TaskFunction(this, 'SummarizeFn', { handlerDir: 'summarize-children' });
    this.functions = [validateFn, summarizeFn];

    const validate = new tasks.LambdaInvoke(this, 'ValidateRequest', {
      lambdaFunction: validateFn.function,
      payload: sfn.TaskInput.fromObject({ 'request.$': '$.request' }),
      resultSelector: { 'runId.$': '$.Payload.runId', 'records.$': '$.Payload.records' },
      resultPath: '$.request',
      retryOnServiceExceptions: false,
    });
    validate.addRetry(retryProps());
    validate.addCatch(new sfn.Fail(this, 'RejectInput', { errorPath: '$.error.Error', causePath: '$.error.Cause' }), {
      errors: ['States.ALL'], resultPath: '$.error',
    });

    const requestAsync = new tasks.EventBridgePutEvents(this, 'RequestAsyncPipeline', {
      entries: [{
        eventBus: props.bus,
        source: PIPELINE_REQUESTED.source,
        detailType: PIPELINE_REQUESTED.detailType,
        detail: sfn.TaskInput.fromObject({
          'runId.$': "States.Format('{}-async', $.request.runId)",
          'records.$': '$.request.records',
          requestedBy: 'parent',
          'parentExecution.$': '$$.Execution.Id',
        }),
      }],
      resultPath: '$.async',
    });
    requestAsync.addRetry(retryProps());

    const runChild = new StartChildExecution(this, 'RunPipelineChild', {
      stateMachine: props.pipeline,
      integrationPattern: sfn.IntegrationPattern.RUN_JOB,
      input: sfn.TaskInput.fromObject({
        request: { 'runId.$': "States.Format('{}-child', $.request.runId)", 'records.$': '$.request.records', requestedBy: 'parent' },
        trigger: { 'parentExecution.$': '$$.Execution.Id' },
      }),
      associateWithParent: true,
      resultSelector: {
        'ExecutionArn.$': '$.ExecutionArn', 'Status.$': '$.Status', 'StartDate.$': '$.StartDate', 'StopDate.$': '$.StopDate',
      },
      resultPath: '$.waited',
      taskTimeout: sfn.Timeout.duration(Duration.minutes(30)),
    });
    // A failed child is started again (a failed pipeline run releases its claim, so it re-runs).
    runChild.addRetry({ errors: ['States.TaskFailed'], maxAttempts: childRetries, interval: Duration.seconds(2), backoffRate: 2, jitterStrategy: sfn.JitterType.FULL });
    const summarize = new tasks.LambdaInvoke(this, 'BuildStatus', {
      lambdaFunction: summarizeFn.function,
      payload: sfn.TaskInput.fromObject({ 'runId.$': '$.request.runId', 'waited.$': '$.waited', 'async.$': '$.async' }),
      outputPath: '$.Payload',
      retryOnServiceExceptions: false,
    });
    summarize.addRetry(retryProps());
    runChild.addCatch(summarize, { errors: ['States.ALL'], resultPath: '$.waited.error' });

    const done = new sfn.Choice(this, 'ChildrenSucceeded')
      .when(sfn.Condition.stringEquals('$.status', 'SUCCEEDED'), new sfn.Succeed(this, 'ParentSucceeded'))
      .otherwise(new sfn.Fail(this, 'ChildFailed', { error: 'ChildWorkflowFailed', cause: 'The waited pipeline child failed after its retries; see the output of BuildStatus in the history.' }));

    const definition = validate.next(requestAsync).next(runChild).next(summarize).next(done);
    this.stateMachine = new WorkflowStateMachine(this, 'Workflow', { workflowName: 'parent', definition }).stateMachine;
  }
}
