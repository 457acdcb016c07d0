import { Annotations, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface WorkflowStateMachineProps {
  /** Short workflow name; the machine is named `<stack>-<name>` so two stacks can share an account. */
  readonly workflowName: string;
  readonly definition: sfn.IChainable;
  /** @default Duration.hours(1) */
  readonly timeout?: Duration;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /**
   * What the execution log records. The default logs errors only, without execution data: states'
   * input and output carry task tokens (`$$.Task.Token`, which let anyone who reads them complete
   * the task) and business data (payment amounts), which must not land in CloudWatch Logs.
   * For debugging, `{ level: sfn.LogLevel.ALL, includeExecutionData: true }` logs every event
   * with its data: tokens and payloads then ARE in the log group, so turn it back off after.
   * @default { level: sfn.LogLevel.ERROR, includeExecutionData: false }
   */
  readonly logging?: WorkflowLoggingOptions;
}

/** Execution logging of a workflow; see WorkflowStateMachineProps.logging. */
export interface WorkflowLoggingOptions {
  /** @default sfn.LogLevel.ERROR */
  readonly level?: sfn.LogLevel;
  /** Log states' input and output (task tokens and payloads included). @default false */
  readonly includeExecutionData?: boolean;
}

/** A Standard state machine with error-level logging (no execution data by default) and X-Ray tracing. */
export class WorkflowStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: WorkflowStateMachineProps) {
    super(scope, id);
    if (!/^[a-z][a-z0-9-]{0,40}$/.test(props.workflowName)) {
      throw new Error(`${this.node.path}: WorkflowStateMachineProps.workflowName must match [a-z][a-z0-9-]{0,40}, got "${props.workflowName}"`);
    }
    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/${Stack.of(this).stackName}-${props.workflowName}`,
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const level = props.logging?.level ?? sfn.LogLevel.ERROR;
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: `${Stack.of(this).stackName}-${props.workflowName}`,
      definitionBody: sfn.DefinitionBody.fromChainable(props.definition),
      stateMachineType: sfn.StateMachineType.STANDARD,
      timeout: props.timeout ?? Duration.hours(1),
      tracingEnabled: true,
      logs: { destination: logGroup, level, includeExecutionData: props.logging?.includeExecutionData ?? false },
    });
    if (level !== sfn.LogLevel.ALL) {
      Validations.of(this.stateMachine).acknowledge({
        id: 'AwsSolutions-SF1',
        reason: `Logs ${level} events only, so that task tokens and payloads stay out of CloudWatch Logs; WorkflowStateMachineProps.logging turns on ALL for debugging.`,
      });
    }
    // Execution data includes task tokens: say so at synth when this machine has a callback task.
    if (props.logging?.includeExecutionData) {
      const definition = JSON.stringify(Stack.of(this).resolve((this.stateMachine.node.defaultChild as sfn.CfnStateMachine).definitionString));
      if (definition.includes('.waitForTaskToken')) {
        Annotations.of(this).addWarningV2('orch:task-tokens-logged', `${this.node.path}: logging.includeExecutionData writes the task tokens of its .waitForTaskToken tasks to CloudWatch Logs; anyone who can read the log group can complete those tasks. Turn it off after debugging.`);
      }
    }
    // Its role's wildcards are acknowledged finding by finding in lib/nag.ts.
  }
}
