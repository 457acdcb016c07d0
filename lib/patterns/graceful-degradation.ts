import * as events from 'aws-cdk-lib/aws-events';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { WORKFLOW_DEGRADED } from '../events';
import { publishEvent } from './publish';

export interface GracefulDegradationProps {
  /** The bus `WorkflowDegraded` is published on. */
  readonly bus: events.IEventBus;
  /** The workflow's name, carried in the event. */
  readonly workflowName: string;
}

export interface OptionalStepOptions {
  /** Where the step's output (or the fallback) goes. @default `$.<camelCase name>` */
  readonly resultPath?: string;
  /** The degraded result used when the step fails, times out or finds its circuit open. */
  readonly fallback: Record<string, unknown>;
}

/**
 * Optional steps that degrade instead of failing the run. A step wrapped by `optional()` that fails
 * for any reason (an error after its retries, `States.Timeout`, `CircuitOpen`) records the reason under
 * `$.degradation.<name>` and puts its fallback at its result path; `finish()` sets `degraded` and
 * publishes `WorkflowDegraded` once per degraded run. Steps not wrapped stay critical: their failure
 * fails the run.
 */
export class GracefulDegradation extends Construct {
  private readonly names = new Set<string>();

  constructor(scope: Construct, id: string, private readonly props: GracefulDegradationProps) {
    super(scope, id);
    if (!/^[a-z][a-z0-9-]{0,40}$/.test(props.workflowName)) throw new Error(`${this.node.path}: GracefulDegradationProps.workflowName must match [a-z][a-z0-9-]{0,40}, got "${props.workflowName}"`);
  }

  /** Wraps `step` so that its failure degrades the run. Returns the wrapping state. */
  optional(name: string, step: sfn.IChainable, options: OptionalStepOptions): sfn.Chain {
    if (!/^[A-Z][A-Za-z0-9]{0,40}$/.test(name)) throw new Error(`${this.node.path}: optional() name must be PascalCase, got "${name}"`);
    if (this.names.has(name)) throw new Error(`${this.node.path}: optional() name "${name}" is used twice`);
    this.names.add(name);
    const resultPath = options.resultPath ?? `$.${name[0].toLowerCase()}${name.slice(1)}`;
    const wrapper = new sfn.Parallel(this, `Try${name}`, { resultSelector: { 'value.$': '$[0]' }, resultPath: `$.optional.${name}` });
    wrapper.branch(step);
    const use = new sfn.Pass(this, `Keep${name}Result`, { inputPath: `$.optional.${name}.value`, resultPath });
    const degrade = new sfn.Pass(this, `Degrade${name}`, { result: sfn.Result.fromObject(options.fallback), resultPath });
    const join = new sfn.Pass(this, `${name}Settled`);
    wrapper.addCatch(degrade, { errors: ['States.ALL'], resultPath: `$.degradation.${name}` });
    wrapper.next(use).next(join);
    degrade.next(join);
    return sfn.Chain.custom(wrapper, [join], join);
  }

  /** Marks the run `degraded: true|false` and publishes `WorkflowDegraded` when any optional step degraded. */
  finish(): sfn.Chain {
    const degraded = new sfn.Pass(this, 'MarkDegraded', { result: sfn.Result.fromBoolean(true), resultPath: '$.degraded' });
    const healthy = new sfn.Pass(this, 'MarkNotDegraded', { result: sfn.Result.fromBoolean(false), resultPath: '$.degraded' });
    const publish = publishEvent(this, 'PublishWorkflowDegraded', this.props.bus, WORKFLOW_DEGRADED, {
      workflow: this.props.workflowName, 'executionArn.$': '$$.Execution.Id', 'reasons.$': '$.degradation',
    });
    const end = new sfn.Pass(this, 'DegradationSettled');
    const choice = new sfn.Choice(this, 'IsDegraded')
      .when(sfn.Condition.isPresent('$.degradation'), publish.next(degraded).next(end))
      .otherwise(healthy.next(end));
    return sfn.Chain.custom(choice, [end], end);
  }
}
