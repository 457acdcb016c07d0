import { LocalRuntime } from '../local/runtime';
(async () => {
  const rt = await LocalRuntime.start({ projectDir: '/work/main', synth: 'never' });
  const arn = rt.stateMachineArn('batch-jobs');
  const startN = (n: number, p: string) => Array.from({ length: n }, (_, i) => rt.engine.startExecution({ stateMachineArn: arn, input: JSON.stringify({ request: { jobId: p + i } }) }));
  const drive = async (es: any[], step: number) => { for (let i = 0; i < 2000 && es.some((e) => e.status === 'RUNNING'); i++) { await rt.clock.advance(step); await new Promise((r) => setTimeout(r, 5)); } };
  const first = startN(40, 'a'); await drive(first, 100);
  console.log('first', first.filter((e) => e.status !== 'SUCCEEDED').length);
  const w = rt.fn('BatchWorkload/WorkerFn');
  const slow = rt.faults.inject({ target: { function: 'BatchWorkload/WorkerFn' }, latencyMs: 120_000 });
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  const { DynamoDBDocumentClient, GetCommand } = await import('@aws-sdk/lib-dynamodb');
  const { localClientConfig } = await import('../local/runtime');
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(rt.endpointUrl)));
  const show = async (l: string) => { const it = (await doc.send(new GetCommand({ TableName: rt.tableName(), Key: { pk: 'POOL#workload-batch', sk: 'STATE' }, ConsistentRead: true }))).Item; console.log(l, rt.clock.now(), it?.version, JSON.stringify(it?.holders).replace(/arn:aws:states:us-east-1:000000000000:execution:Orchestration-batch-jobs:/g, '')); };
  await show('before');
  const es = startN(12, 'b');
  for (let i = 0; i < 10; i++) { await new Promise((r) => setTimeout(r, 150)); await show('t' + i); }
  slow.remove();
  const log: string[] = [];
  rt.engine.onProgress(({ execution, event }) => { if (/RunJob|Acquire|Release/.test(JSON.stringify(event.stateEnteredEventDetails ?? event.stateExitedEventDetails ?? '')) || /Lambda|Task(Started|Failed|Succeeded)/.test(event.type)) log.push(`${new Date(event.timestamp).toISOString().slice(11, 23)} ${execution.name.slice(-3)} ${event.type} ${(event as any).stateEnteredEventDetails?.name ?? (event as any).stateExitedEventDetails?.name ?? ''} inflight=${w.inFlight}`); });
  await drive(es, 10_000);
  for (const e of es) if (e.status !== 'SUCCEEDED') console.log(e.name, e.status, e.error);
  console.log(log.filter((l) => /RunJob|TaskFailed|LambdaFunctionFailed|inflight=[34]/.test(l)).slice(0, 80).join('\n'));
  await rt.stop(); process.exit(0);
})();
