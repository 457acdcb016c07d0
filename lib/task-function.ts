import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import * as path from 'path';
import { deadLetterQueue } from './patterns/status-change-rule';

export interface TaskFunctionProps {
  /** Folder under `lambdas/` holding `handler.ts`. */
  readonly handlerDir: string;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default {} */
  readonly environment?: Record<string, string>;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** @default RemovalPolicy.DESTROY for the log group */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * Reserved concurrency: guaranteed to this function and its cap (the account keeps at least 100
   * unreserved, so a new account with a low quota may refuse it). @default none (shared pool)
   */
  readonly reservedConcurrency?: number;
  /**
   * The function is invoked asynchronously (the target of an EventBridge rule, an S3 or SNS
   * notification): an event that still fails after Lambda's 2 retries (or waited 6 hours) goes to
   * `onFailureQueue` instead of being dropped. The stack refuses to synthesize a rule target without it.
   * @default false
   */
  readonly invokedAsynchronously?: boolean;
}

/**
 * A task Lambda as every workflow uses it: Node 24 on arm64, bundled by esbuild with its
 * dependencies (the SDK too, so its version is pinned and the local runtime can isolate it),
 * structured JSON logs through Powertools, its own log group and a role that may write only there.
 */
export class TaskFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly role: iam.Role;
  /** Where the events that failed every asynchronous attempt go (with the error); only when `invokedAsynchronously`. */
  readonly onFailureQueue?: sqs.IQueue;

  constructor(scope: Construct, id: string, props: TaskFunctionProps) {
    super(scope, id);
    if (!/^[a-z0-9-]+$/.test(props.handlerDir)) {
      throw new Error(`${this.node.path}: TaskFunctionProps.handlerDir must be a folder name under lambdas/, got "${props.handlerDir}"`);
    }
    const timeout = props.timeout ?? Duration.seconds(30);
    if (timeout.toSeconds() < 1 || timeout.toSeconds() > 900) {
      throw new Error(`${this.node.path}: TaskFunctionProps.timeout must be between 1 and 900 seconds`);
    }
    if (props.reservedConcurrency !== undefined && (!Number.isInteger(props.reservedConcurrency) || props.reservedConcurrency < 1 || props.reservedConcurrency > 1000)) {
      throw new Error(`${this.node.path}: TaskFunctionProps.reservedConcurrency must be an integer from 1 to 1000`);
    }
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY,
    });
    // An explicit role instead of AWSLambdaBasicExecutionRole: it may write to this log group only.
    this.role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    this.role.addToPolicy(new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.logGroupArn],
    }));
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: path.join(__dirname, '..', 'lambdas', props.handlerDir, 'handler.ts'),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout,
      ...(props.reservedConcurrency !== undefined ? { reservedConcurrentExecutions: props.reservedConcurrency } : {}),
      role: this.role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.handlerDir,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...props.environment,
      },
      bundling: {
        minify: true,
        sourceMap: false,
        target: 'node22',
        externalModules: [],
      },
    });
    if (props.invokedAsynchronously) {
      const queue = deadLetterQueue(this, 'OnFailure');
      // https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
      this.function.configureAsyncInvoke({ onFailure: new destinations.SqsDestination(queue), retryAttempts: 2, maxEventAge: Duration.hours(6) });
      this.onFailureQueue = queue;
    }
  }
}
