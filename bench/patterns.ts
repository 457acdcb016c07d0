/**
 * Cost figures of the failure-recovery patterns: state transitions and Lambda invocations per
 * execution, on the happy path and on the failure paths, measured by executing the synthesized
 * workflows on the embedded runtime (failures come from its fault injection).
 */
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import * as fs from 'fs';
import * as path from 'path';
import { Execution } from '../local/engine';
import { LocalRuntime } from '../local/runtime';

type Emit = (line: Record<string, unknown>) => void;

let seq = 0;
const id = (label: string) => `bench-${label}-${process.pid}-${seq++}`;

async function execute(rt: LocalRuntime, workflow: string, input: unknown, advanceMs = 0): Promise<Execution> {
  const e = rt.startExecution(workflow, input);
  while (e.status === 'RUNNING') {
    if (advanceMs) await rt.clock.advance(advanceMs);
    await new Promise((r) => setTimeout(r, 1));
  }
  return e;
}

function line(emit: Emit, pattern: string, pathName: string, e: Execution, extra: Record<string, unknown> = {}) {
  emit({ metric: 'pattern.cost', pattern, path: pathName, status: e.status, ...(e.error ? { error: e.error, cause: process.env.BENCH_DEBUG ? e.cause : undefined } : {}), state_transitions: e.transitions, lambda_invocations: e.lambdaInvocations, ...extra });
}

export async function benchPatterns(rt: LocalRuntime, emit: Emit): Promise<void> {
  const f = rt.faults;
  const order = () => ({ request: { orderId: id('o'), amount: 10 } });

  // circuit breaker: closed call, failed call (counted), open (fail fast), probe (closes it)
  line(emit, 'circuit-breaker', 'happy (closed)', await execute(rt, 'payments', order()));
  const down = f.inject({ target: { function: 'PaymentsWorkflow/PaymentsApiFn' }, error: { name: 'TransientError' } });
  const failures: Execution[] = [];
  for (let i = 0; i < 5; i++) failures.push(await execute(rt, 'payments', order()));
  line(emit, 'circuit-breaker', 'failure (call fails, circuit stays closed)', failures[0]);
  line(emit, 'circuit-breaker', 'failure (call fails, circuit opens)', failures[4]);
  line(emit, 'circuit-breaker', 'open (fail fast, dependency not called)', await execute(rt, 'payments', order()));
  down.remove();
  await rt.clock.advance(30_000);
  line(emit, 'circuit-breaker', 'probe after cooldown (closes the circuit)', await execute(rt, 'payments', order()));

  // graceful degradation
  line(emit, 'graceful-degradation', 'happy', await execute(rt, 'checkout', { request: { orderId: id('c') } }));
  const loyalty = f.inject({ target: { function: 'Checkout/LoyaltyFn' }, error: { name: 'PartnerDown' }, times: 1 });
  line(emit, 'graceful-degradation', 'failure (optional step degraded)', await execute(rt, 'checkout', { request: { orderId: id('c') } }));
  loyalty.remove();

  // checkpoint and resume
  line(emit, 'checkpoint', 'happy (4 steps)', await execute(rt, 'report', { request: { runId: id('r') } }));
  const runId = id('r');
  const crash = f.inject({ target: { function: 'Report/ReportStepFn' }, error: { name: 'WorkerCrashed' }, times: 1, when: (i) => (i as { step: string }).step === 'load' });
  line(emit, 'checkpoint', 'failure (crash at step 3)', await execute(rt, 'report', { request: { runId } }));
  crash.remove();
  line(emit, 'checkpoint', 'resume (2 steps reused)', await execute(rt, 'report', { request: { runId } }));

  // saga
  line(emit, 'saga', 'happy (5 steps, one parallel group)', await execute(rt, 'order-saga', { request: { sagaId: id('s') } }));
  const sagaId = id('s');
  const reject = f.inject({ target: { function: 'OrderSaga/OrderServiceFn' }, error: { name: 'OrderRejected' }, when: (i) => (i as { sagaId: string; step: string }).sagaId === sagaId && (i as { step: string }).step === 'ConfirmOrder' });
  line(emit, 'saga', 'failure (last step fails, 4 compensations)', await execute(rt, 'order-saga', { request: { sagaId } }));
  reject.remove();
  line(emit, 'saga', 're-run of a compensated saga (no effect)', await execute(rt, 'order-saga', { request: { sagaId } }));

  // bulkhead
  const jobs = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
  line(emit, 'bulkhead', 'happy (3 items)', await execute(rt, 'tenant-jobs', { request: { partition: 'tenant-b', jobs } }));
  const partner = f.inject({ target: { function: 'TenantJobs/TenantBWorkerFn' }, error: { name: 'PartnerDown' } });
  line(emit, 'bulkhead', 'failure (work fails, slot released)', await execute(rt, 'tenant-jobs', { request: { partition: 'tenant-b', jobs } }));
  partner.remove();

  // resource management (the app's workflows)
  await rt.clock.advance(10_000); // the partner-api bucket is full again
  line(emit, 'token-bucket', 'fail-fast consumer, tokens available', await execute(rt, 'partner-lookup', { request: { customerId: id('c') } }));
  line(emit, 'token-bucket', 'waiting consumer, tokens available', await execute(rt, 'partner-sync', { request: { batchId: id('b'), records: 1 } }));
  await execute(rt, 'partner-sync', { request: { batchId: id('b'), records: 9 } });
  line(emit, 'token-bucket', 'waiting consumer, bucket empty (reserves, waits 2 s)', await execute(rt, 'partner-sync', { request: { batchId: id('b'), records: 10 } }, 500));
  line(emit, 'pool', 'free slot', await execute(rt, 'training-jobs', { request: { jobId: id('j'), priority: 1 } }));
  line(emit, 'budget', 'within budget (proceeds)', await execute(rt, 'experiment', { request: { team: id('team'), experimentId: id('x'), estimatedCostUsd: 0.0001 } }));
  line(emit, 'budget', 'estimate over the limit (denied)', await execute(rt, 'experiment', { request: { team: id('team'), experimentId: id('x'), estimatedCostUsd: 1 } }));
  line(emit, 'teardown', 'success (teardown in the workflow)', await execute(rt, 'cluster-job', { request: { runId: id('r') } }));
  const jobCrash = f.inject({ target: { function: 'ClusterJob/JobFn' }, error: { name: 'JobCrashed' } });
  line(emit, 'teardown', 'failure (teardown in the workflow, then fail)', await execute(rt, 'cluster-job', { request: { runId: id('r') } }));
  jobCrash.remove();
  line(emit, 'isolation', 'critical job (quota + own pool + reserved worker)', await execute(rt, 'critical-jobs', { request: { jobId: id('k') } }));
}

/**
 * The common design, for comparison: a Lambda reads the circuit before every call and another updates
 * it after a failure (the shape of the AWS sample). Synthesized into its own small app and run on a
 * runtime of its own.
 */
export async function benchCommonCircuitDesign(emit: Emit): Promise<void> {
  // Inside the project's cdk.out, so the fixture's bundle resolves the SDK from node_modules.
  const cdkOut = path.join(__dirname, '..', 'cdk.out');
  fs.mkdirSync(cdkOut, { recursive: true });
  const outdir = fs.mkdtempSync(path.join(cdkOut, 'bench-common-circuit-'));
  const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true, 'aws:cdk:enable-path-metadata': true } });
  const stack = new Stack(app, 'Common');
  const table = new dynamodb.Table(stack, 'Circuits', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, removalPolicy: RemovalPolicy.DESTROY });
  const code = lambda.Code.fromAsset(path.join(__dirname, 'fixtures', 'lambda-circuit'));
  const fn = (name: string, handler: string) => new lambda.Function(stack, name, { runtime: lambda.Runtime.NODEJS_24_X, handler: `index.${handler}`, code, environment: { TABLE: table.tableName }, timeout: Duration.seconds(10) });
  const invoke = (name: string, f: lambda.IFunction, resultPath: string) => new tasks.LambdaInvoke(stack, name, { lambdaFunction: f, payload: sfn.TaskInput.fromObject({ dependency: 'payments' }), payloadResponseOnly: true, resultPath });
  const call = invoke('Execute', fn('CallFn', 'call'), '$.result');
  call.addCatch(invoke('UpdateCircuitStatus', fn('UpdateFn', 'update'), '$.circuit').next(new sfn.Fail(stack, 'Failed', { error: 'CallFailed' })), { errors: ['States.ALL'] });
  const definition = invoke('GetCircuitStatus', fn('GetFn', 'get'), '$.circuit').next(new sfn.Choice(stack, 'IsCircuitClosed')
    .when(sfn.Condition.stringEquals('$.circuit.circuitStatus', 'OPEN'), new sfn.Fail(stack, 'CircuitOpen', { error: 'CircuitOpen' }))
    .otherwise(call.next(new sfn.Succeed(stack, 'Done'))));
  new sfn.StateMachine(stack, 'Machine', { stateMachineName: 'Common-circuit', definitionBody: sfn.DefinitionBody.fromChainable(definition) });
  app.synth();
  const rt = await LocalRuntime.start({ cdkOut: outdir, synth: 'never' });
  try {
    const pattern = 'circuit-breaker (common design: Lambda reads the circuit)';
    line(emit, pattern, 'happy (closed)', await execute(rt, 'circuit', {}));
    const fault = rt.faults.inject({ target: { function: 'CallFn' }, error: { name: 'TransientError' }, times: 1 });
    line(emit, pattern, 'failure (call fails, circuit opens)', await execute(rt, 'circuit', {}));
    fault.remove();
    line(emit, pattern, 'open (fail fast, dependency not called)', await execute(rt, 'circuit', {}));
  } finally {
    await rt.stop();
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
