import { Duration, Tags } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct, IConstruct } from 'constructs';
import { KEY_PART_PATTERN } from '../state/keys';
import { TaskFunction, TaskFunctionProps } from '../task-function';
import { Pool } from './pool';
import { TokenBucket } from './token-bucket';

export interface WorkloadClassProps {
  readonly table: dynamodb.ITable;
  /** The class (`critical`, `batch`): a key part and the value of the `workload-class` tag. */
  readonly className: string;
  /** Runs of this class doing their guarded work at once (its own pool). */
  readonly slots: number;
  /** Its own token bucket: starts per second it may make, and the burst. */
  readonly quota: { readonly capacity: number; readonly refillPerSecond: number; readonly shards?: number };
  /** Reserved concurrency of each worker function of this class. @default slots */
  readonly reservedConcurrency?: number;
  /** Cost-allocation tag `cost-center`. @default the class name */
  readonly costCenter?: string;
  /** The pool's lease. @default computed from the guarded work's worst case (see PoolProps.lease) */
  readonly lease?: Duration;
}

/**
 * One class of work (critical, batch) with capacity of its own, so another class saturating its share
 * cannot delay it: its own pool (slots), its own token bucket, workers with reserved concurrency (a
 * floor no other function can take and a ceiling it cannot pass), and cost-allocation tags on
 * everything it owns and on the workflows attached to it. Separate state machines per class are the
 * caller's: `attach()` each one.
 */
export class WorkloadClass extends Construct {
  readonly className: string;
  readonly pool: Pool;
  readonly bucket: TokenBucket;
  readonly reservedConcurrency: number;
  readonly workers: TaskFunction[] = [];
  private readonly costCenter: string;

  constructor(scope: Construct, id: string, props: WorkloadClassProps) {
    super(scope, id);
    if (!KEY_PART_PATTERN.test(props.className)) throw new Error(`${this.node.path}: WorkloadClassProps.className must match ${KEY_PART_PATTERN}`);
    this.className = props.className;
    this.reservedConcurrency = props.reservedConcurrency ?? props.slots;
    if (!Number.isInteger(this.reservedConcurrency) || this.reservedConcurrency < props.slots) {
      throw new Error(`${this.node.path}: WorkloadClassProps.reservedConcurrency must be an integer >= slots (${props.slots}), or a slot holder could be throttled`);
    }
    this.costCenter = props.costCenter ?? props.className;
    this.pool = new Pool(this, 'Pool', { table: props.table, poolName: `workload-${props.className}`, slots: props.slots, lease: props.lease });
    this.bucket = new TokenBucket(this, 'Quota', { table: props.table, bucketName: `workload-${props.className}`, ...props.quota });
    this.tag(this);
  }

  /** A worker of this class: a TaskFunction with the class's reserved concurrency and tags. */
  worker(id: string, props: Omit<TaskFunctionProps, 'reservedConcurrency'>): TaskFunction {
    const fn = new TaskFunction(this, id, { ...props, reservedConcurrency: this.reservedConcurrency });
    this.workers.push(fn);
    return fn;
  }

  /** quota (waits for a token, at most 5 minutes) -> pool slot -> work -> release. */
  guard(scope: Construct, id: string, work: sfn.IChainable, priorityPath?: string): sfn.Chain {
    return this.bucket.consume(scope, `Take${id}Token`, { onEmpty: 'wait', maxWait: Duration.minutes(5) })
      .next(this.pool.withSlot(scope, id, work, { priorityPath }));
  }

  /** Attaches a workflow of this class: its pool wakes and reaps it, and it carries the class's tags. */
  attach(stateMachine: sfn.StateMachine): void {
    this.pool.attach(stateMachine);
    this.tag(stateMachine);
  }

  private tag(c: IConstruct) {
    Tags.of(c).add('workload-class', this.className);
    Tags.of(c).add('cost-center', this.costCenter);
  }
}
