/**
 * orch: the command line of the embedded local runtime.
 *   orch demo                        synthesize, boot, run the demo events, print a summary (npm start)
 *   orch serve [--port N] [--logs]   serve the AWS-compatible endpoint until Ctrl-C
 *   orch trigger <pipeline|parent> --run-id ID [--records N] [--endpoint URL] [--stack NAME]
 *   orch status [--endpoint URL] [--stack NAME]
 *   orch pool <name> [--endpoint URL] [--stack NAME]       holders (with leases) and queue length of a pool
 *   orch quota <bucket> [--endpoint URL] [--stack NAME]    a token bucket's shards and its use per workflow
 *   orch budget <scope> [--set-limit USD] [--period P] [--endpoint URL] [--stack NAME]
 *   orch redrive --queue <name|url> [--max N] [--endpoint URL]  re-invoke what Lambda gave up on (on-failure queue)
 * trigger and status talk to the local endpoint with --endpoint, otherwise to AWS (default credentials).
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import * as path from 'path';
import { keys, PREFIX } from '../lib/state/keys';
import { available } from '../lambdas/token-bucket/logic';
import { PARENT_REQUESTED, PIPELINE_REQUESTED } from '../lib/events';
import { localClientConfig as clientConfig, LocalRuntime } from '../local/runtime';
import { redriveLambdaFailures, resolveQueueUrl } from './commands/redrive';

const projectDir = path.resolve(__dirname, '..');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

/** Resolves once no execution is running and no delivery is pending (bounded). */
export async function settle(rt: LocalRuntime, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quietRounds = 0;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    const running = rt.executions({ status: 'RUNNING' }).length > 0;
    quietRounds = running ? 0 : quietRounds + 1;
    if (quietRounds >= 5) return;
  }
  throw new Error(`executions still running after ${timeoutMs} ms`);
}

export async function demo(): Promise<number> {
  const t0 = Date.now();
  process.stdout.write('Synthesizing (when sources changed) and booting the local runtime...\n');
  const rt = await LocalRuntime.start({ projectDir });
  process.stdout.write(`Runtime up in ${Date.now() - t0} ms at ${rt.endpointUrl}\n\n`);
  const short = (arn: string) => arn.split(':').slice(-2).join(':').replace(/^[^-]+-/, '');
  rt.onEvent(({ execution, event }) => {
    const d = (event.stateEnteredEventDetails ?? event.stateExitedEventDetails) as { name?: string } | undefined;
    if (event.type.endsWith('StateEntered')) process.stdout.write(`  ${short(execution.executionArn).padEnd(52)} -> ${d?.name}\n`);
    else if (event.type.endsWith('StateExited')) process.stdout.write(`  ${short(execution.executionArn).padEnd(52)} <- ${d?.name}\n`);
    else if (event.type.startsWith('Execution') && event.type !== 'ExecutionStarted') process.stdout.write(`  ${short(execution.executionArn).padEnd(52)} == ${event.type}\n`);
  });
  const cfg = clientConfig(rt.endpointUrl);
  const events = new EventBridgeClient(cfg);
  const sfn = new SFNClient(cfg);
  const bus = rt.busName();
  const put = (source: string, detailType: string, detail: string) =>
    events.send(new PutEventsCommand({ Entries: [{ EventBusName: bus, Source: source, DetailType: detailType, Detail: detail }] }));
  const runId = `demo-${new Date().toISOString().replace(/[^0-9]/g, '').slice(0, 14)}`;
  const checks: { what: string; ok: boolean; detail: string }[] = [];

  process.stdout.write(`PipelineRequested runId=${runId} (twice: EventBridge delivers at least once)\n`);
  await put(PIPELINE_REQUESTED.source, PIPELINE_REQUESTED.detailType, JSON.stringify({ runId, records: 500 }));
  await put(PIPELINE_REQUESTED.source, PIPELINE_REQUESTED.detailType, JSON.stringify({ runId, records: 500 }));
  process.stdout.write(`ParentRequested runId=${runId}-parent\n`);
  await put(PARENT_REQUESTED.source, PARENT_REQUESTED.detailType, JSON.stringify({ runId: `${runId}-parent`, records: 200 }));
  process.stdout.write('A malformed event (Detail is not JSON) and an invalid request (runId is a number)\n');
  const malformed = await put(PIPELINE_REQUESTED.source, PIPELINE_REQUESTED.detailType, '{not json');
  await put(PIPELINE_REQUESTED.source, PIPELINE_REQUESTED.detailType, JSON.stringify({ runId: 42 }));
  await settle(rt);

  const rows: string[][] = [];
  const outcomes: { name: string; status: string; error?: string; output?: string; tasks: string[] }[] = [];
  for (const m of rt.stateMachines()) {
    const list = await sfn.send(new ListExecutionsCommand({ stateMachineArn: m.arn }));
    for (const e of (list.executions ?? []).reverse()) {
      const d = await sfn.send(new DescribeExecutionCommand({ executionArn: e.executionArn }));
      const h = await sfn.send(new GetExecutionHistoryCommand({ executionArn: e.executionArn }));
      const entered = (h.events ?? []).filter((x) => x.type?.endsWith('StateEntered')).map((x) => x.stateEnteredEventDetails!.name!);
      const exec = rt.execution(e.executionArn!)!;
      const input = JSON.parse(d.input ?? '{}');
      outcomes.push({ name: m.name, status: d.status!, error: d.error, output: d.output, tasks: entered });
      rows.push([
        m.name.replace(/^[^-]+-/, ''), String(input.request?.runId ?? ''), d.status!,
        d.error ? `${d.error}` : entered.includes('DuplicateRun') ? 'duplicate ignored' : '',
        `${(d.stopDate!.getTime() - d.startDate!.getTime()).toFixed(0)} ms`, String(exec.transitions), String(exec.lambdaInvocations),
      ]);
    }
  }
  const header = ['workflow', 'runId', 'status', 'note', 'duration', 'transitions', 'lambdas'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ');
  process.stdout.write(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n\n`);

  const pipelines = outcomes.filter((o) => o.name.endsWith('-pipeline'));
  const main = pipelines.filter((o) => o.tasks.includes('IntegrateReport') && o.status === 'SUCCEEDED');
  const duplicates = pipelines.filter((o) => o.tasks.includes('DuplicateRun'));
  const workTasks = ['GenerateSales', 'GenerateInventory', 'GenerateCustomers', 'AnalyzeData', 'TrainForecastModel', 'TrainClassifierModel', 'IntegrateReport'];
  checks.push({ what: 'the duplicate PipelineRequested ran no task', ok: duplicates.length === 1 && !duplicates[0].tasks.some((s) => workTasks.includes(s)), detail: '' });
  checks.push({ what: 'pipeline succeeded for the run, its child and its async child', ok: main.length === 3, detail: `${main.length} succeeded` });
  checks.push({ what: 'the invalid request failed with InvalidInput', ok: pipelines.some((o) => o.status === 'FAILED' && o.error === 'InvalidInput' && !o.tasks.includes('ClaimRun')), detail: '' });
  checks.push({ what: 'the malformed event was rejected by PutEvents (MalformedDetail)', ok: malformed.FailedEntryCount === 1 && malformed.Entries?.[0].ErrorCode === 'MalformedDetail', detail: '' });
  const parent = outcomes.find((o) => o.name.endsWith('-parent'));
  checks.push({ what: 'parent succeeded with a hierarchical status', ok: parent?.status === 'SUCCEEDED' && JSON.parse(parent.output ?? '{}').children?.length === 2, detail: parent?.output ?? '' });
  const checkpoints = rt.directWriteCounts();
  for (const c of checks) process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'} ${c.what}\n`);
  process.stdout.write(`\nDynamoDB writes by the workflows: ${JSON.stringify(checkpoints)}\n`);
  await rt.stop();
  const failed = checks.filter((c) => !c.ok);
  process.stdout.write(failed.length ? `\n${failed.length} outcome(s) not as expected\n` : '\nEvery outcome is the expected one.\n');
  return failed.length ? 1 : 0;
}

async function serve(): Promise<number> {
  const port = Number(arg('port') ?? 4566);
  const rt = await LocalRuntime.start({ projectDir, port, echoLambdaLogs: process.argv.includes('--logs') });
  process.stdout.write(`orch: AWS-compatible endpoint on ${rt.endpointUrl} (Step Functions, EventBridge, DynamoDB, SQS, Lambda Invoke)\n`);
  for (const m of rt.stateMachines()) process.stdout.write(`  state machine ${m.arn}\n`);
  process.stdout.write(`  bus ${rt.busName()}, table ${rt.tableName()}\n`);
  for (const q of rt.queues.list()) process.stdout.write(`  queue ${rt.queues.url(q)}\n`);
  process.stdout.write(`Try: aws --endpoint-url ${rt.endpointUrl} stepfunctions list-state-machines\n`);
  await new Promise<void>((resolve) => { process.once('SIGINT', resolve); process.once('SIGTERM', resolve); });
  await rt.stop();
  return 0;
}

function remoteConfig() {
  const endpoint = arg('endpoint');
  return endpoint ? clientConfig(endpoint) : {};
}

async function trigger(): Promise<number> {
  const workflow = process.argv[3];
  const contract = { pipeline: PIPELINE_REQUESTED, parent: PARENT_REQUESTED }[workflow as 'pipeline' | 'parent'];
  const runId = arg('run-id');
  if (!contract || !runId) {
    process.stderr.write('usage: orch trigger <pipeline|parent> --run-id ID [--records N] [--endpoint URL] [--stack NAME]\n');
    return 2;
  }
  const records = arg('records');
  const detail = { runId, ...(records !== undefined ? { records: Number(records) } : {}) };
  const out = await new EventBridgeClient(remoteConfig()).send(new PutEventsCommand({ Entries: [{
    EventBusName: `${arg('stack') ?? 'Orchestration'}-bus`, Source: contract.source, DetailType: contract.detailType, Detail: JSON.stringify(detail),
  }] }));
  const entry = out.Entries?.[0];
  process.stdout.write(entry?.ErrorCode ? `rejected: ${entry.ErrorCode} ${entry.ErrorMessage}\n` : `${contract.detailType} put on the bus, event ${entry?.EventId}\n`);
  return entry?.ErrorCode ? 1 : 0;
}

async function status(): Promise<number> {
  const sfn = new SFNClient(remoteConfig());
  const prefix = `${arg('stack') ?? 'Orchestration'}-`;
  const { ListStateMachinesCommand } = await import('@aws-sdk/client-sfn');
  const machines = ((await sfn.send(new ListStateMachinesCommand({}))).stateMachines ?? []).filter((m) => m.name?.startsWith(prefix));
  for (const m of machines) {
    const list = await sfn.send(new ListExecutionsCommand({ stateMachineArn: m.stateMachineArn, maxResults: 10 }));
    process.stdout.write(`${m.name}\n`);
    for (const e of list.executions ?? []) {
      const ms = e.stopDate && e.startDate ? `${e.stopDate.getTime() - e.startDate.getTime()} ms` : 'running';
      process.stdout.write(`  ${e.status?.padEnd(9)} ${e.startDate?.toISOString()}  ${ms.padStart(9)}  ${e.name}\n`);
    }
  }
  return 0;
}

/** The state table of the stack (by its name prefix), on AWS or at --endpoint. */
async function stateTable(cfg: Record<string, unknown>, stack: string): Promise<{ doc: DynamoDBDocumentClient; table: string }> {
  const ddb = new DynamoDBClient(cfg);
  const table = ((await ddb.send(new ListTablesCommand({}))).TableNames ?? []).find((t) => t.startsWith(`${stack}-State`));
  if (!table) throw new Error(`no state table of stack ${stack} (a table named ${stack}-State...)`);
  return { doc: DynamoDBDocumentClient.from(ddb), table };
}

const queryAll = async (doc: DynamoDBDocumentClient, table: string, pk: string) => (await doc.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true }))).Items ?? [];

/** `orch pool <name>`: who holds the slots (lease expiry) and how many wait, by priority. */
export async function poolStatus(name: string, cfg: Record<string, unknown>, stack = 'Orchestration', out: (s: string) => unknown = (s: string) => process.stdout.write(s)) {
  const { doc, table } = await stateTable(cfg, stack);
  const items = await queryAll(doc, table, keys.pool(name).pk);
  const state = items.find((i) => i.sk === keys.pool(name).sk);
  const waiters = items.filter((i) => String(i.sk).startsWith(PREFIX.waiter));
  const holders = Object.entries((state?.holders ?? {}) as Record<string, number>);
  out(`pool ${name}: ${holders.length} holder(s), ${waiters.length} waiting\n`);
  for (const [h, until] of holders) out(`  holds  ${h}  lease until ${new Date(until).toISOString()}\n`);
  for (const w of waiters) out(`  waits  ${w.holder}  priority ${w.priority}  since ${new Date(w.arrivalMs).toISOString()}\n`);
  return { holders: holders.length, queued: waiters.length };
}

/** `orch quota <bucket>`: the balance of each shard and the tokens consumed per workflow. */
export async function quotaStatus(bucket: string, cfg: Record<string, unknown>, stack = 'Orchestration', out: (s: string) => unknown = (s: string) => process.stdout.write(s)) {
  const { doc, table } = await stateTable(cfg, stack);
  const items = await queryAll(doc, table, keys.bucketShard(bucket, 0).pk);
  const usage: Record<string, number> = {};
  out(`bucket ${bucket}\n`);
  for (const i of items) {
    if (String(i.sk).startsWith(PREFIX.shard)) {
      const tokens = available(i.tat, { capacity: i.capacity, refillPerSecond: i.refillPerSecond }, Date.now());
      out(`  shard ${i.shard}  ${tokens.toFixed(2)} of ${i.capacity} token(s) now, +${i.refillPerSecond}/s  (${i.writes} takes)\n`);
    }
    else { usage[i.workflow] = i.tokens; out(`  used by ${i.workflow}: ${i.tokens} token(s) in ${i.grants} grant(s), last ${i.lastGrantAt}\n`); }
  }
  return usage;
}

/** `orch budget <scope> [--set-limit USD]`: spent and reserved this period; sets the scope's limit. */
export async function budgetStatus(scope: string, cfg: Record<string, unknown>, opts: { stack?: string; setLimit?: number; period?: string } = {}, out: (s: string) => unknown = (s: string) => process.stdout.write(s)) {
  const { doc, table } = await stateTable(cfg, opts.stack ?? 'Orchestration');
  if (opts.setLimit !== undefined) {
    if (!(opts.setLimit >= 0) || !Number.isFinite(opts.setLimit)) throw new Error('--set-limit must be a number of USD >= 0');
    await doc.send(new PutCommand({ TableName: table, Item: { ...keys.budgetLimit(scope), limitUsd: opts.setLimit } }));
    out(`limit of ${scope} set to ${opts.setLimit} USD per period\n`);
  }
  const items = await queryAll(doc, table, keys.budgetLimit(scope).pk);
  const limit = items.find((i) => i.sk === keys.budgetLimit(scope).sk)?.limitUsd;
  out(`budget ${scope}: limit ${limit ?? 'the construct default'}${limit !== undefined ? ' USD' : ''}\n`);
  const periods = items.filter((i) => String(i.sk).startsWith(PREFIX.period) && (!opts.period || i.period === opts.period));
  for (const p of periods) {
    const reserved = Object.values((p.reservations ?? {}) as Record<string, number>).reduce((a, b) => a + b, 0);
    out(`  ${p.period}  spent ${p.spentUsd} USD in ${p.runs} run(s), reserved ${reserved} USD by ${Object.keys(p.reservations ?? {}).length} running${p.threshold ? `, threshold ${p.threshold}` : ''}\n`);
  }
  return { limit, periods: periods.length };
}

async function pool(): Promise<number> {
  const name = process.argv[3];
  if (!name) { process.stderr.write('usage: orch pool <name> [--endpoint URL] [--stack NAME]\n'); return 2; }
  await poolStatus(name, remoteConfig(), arg('stack'));
  return 0;
}

async function quota(): Promise<number> {
  const name = process.argv[3];
  if (!name) { process.stderr.write('usage: orch quota <bucket> [--endpoint URL] [--stack NAME]\n'); return 2; }
  await quotaStatus(name, remoteConfig(), arg('stack'));
  return 0;
}

async function budget(): Promise<number> {
  const scope = process.argv[3];
  if (!scope) { process.stderr.write('usage: orch budget <scope> [--set-limit USD] [--period YYYY-MM[-DD]] [--endpoint URL] [--stack NAME]\n'); return 2; }
  await budgetStatus(scope, remoteConfig(), { stack: arg('stack'), setLimit: arg('set-limit') !== undefined ? Number(arg('set-limit')) : undefined, period: arg('period') });
  return 0;
}

/** `orch redrive --queue Q`: exit 0 when every invocation record was redriven, 1 when some still fail. */
async function redrive(): Promise<number> {
  const queue = arg('queue');
  const max = arg('max') !== undefined ? Number(arg('max')) : undefined;
  if (!queue || (max !== undefined && !(Number.isInteger(max) && max > 0))) {
    process.stderr.write('usage: orch redrive --queue <name|url> [--max N] [--endpoint URL]\n');
    return 2;
  }
  const cfg = remoteConfig();
  const clients = { sqs: new SQSClient(cfg), lambda: new LambdaClient(cfg) };
  try {
    const results = await redriveLambdaFailures(clients, await resolveQueueUrl(clients.sqs, queue), { max });
    const count = (o: string) => results.filter((r) => r.outcome === o).length;
    process.stdout.write(`${count('redriven')} redriven, ${count('failing')} still failing, ${count('skipped')} skipped\n`);
    return count('failing') ? 1 : 0;
  } finally {
    clients.sqs.destroy();
    clients.lambda.destroy();
  }
}

const commands: Record<string, () => Promise<number>> = { demo, serve, trigger, status, pool, quota, budget, redrive };
if (require.main === module || process.argv[1]?.endsWith('orch-cli.js')) {
  const cmd = process.argv[2] ?? 'demo';
  const run = commands[cmd];
  if (!run) {
    process.stderr.write(`usage: orch <${Object.keys(commands).join('|')}> [--port N]\n`);
    process.exit(2);
  }
  run().then((code) => process.exit(code), (err) => { process.stderr.write(`orch ${cmd}: ${err?.stack ?? err}\n`); process.exit(1); });
}
