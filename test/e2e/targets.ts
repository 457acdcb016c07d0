/**
 * Where the e2e suite runs, chosen by E2E_TARGET:
 *  - embedded (default): the local runtime, booted in-process from cdk.out;
 *  - localstack: a LocalStack container (testcontainers, pinned image), the app deployed with cdklocal;
 *  - aws: a deployed stack in the account of the ambient credentials (opt-in).
 * The scenarios use only the AWS SDK clients; runtime-only features (fault injection, the clock)
 * are reached through `target.runtime` and their scenarios say "embedded only".
 */
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { execFileSync } from 'child_process';
import * as path from 'path';
import { localClientConfig, LocalRuntime } from '../../local/runtime';

export const LOCALSTACK_IMAGE = 'localstack/localstack:4.4.0';
export const STACK = 'Orchestration';
const projectDir = path.resolve(__dirname, '..', '..');

export interface Target {
  readonly name: 'embedded' | 'localstack' | 'aws';
  readonly sfn: SFNClient;
  readonly events: EventBridgeClient;
  readonly doc: DynamoDBDocumentClient;
  readonly pipelineArn: string;
  readonly parentArn: string;
  readonly busName: string;
  readonly tableName: string;
  /** The ARN of a workflow's state machine by its short name (`payments` -> `Orchestration-payments`). */
  machineArn(workflow: string): string;
  /** Present on the embedded target only. */
  readonly runtime?: LocalRuntime;
  stop(): Promise<void>;
}

async function discover(name: Target['name'], cfg: Record<string, unknown>, stop: () => Promise<void>, runtime?: LocalRuntime): Promise<Target> {
  const sfn = new SFNClient(cfg);
  const events = new EventBridgeClient(cfg);
  const ddb = new DynamoDBClient(cfg);
  const machines = (await sfn.send(new ListStateMachinesCommand({}))).stateMachines ?? [];
  const arn = (wf: string) => {
    const m = machines.find((x) => x.name === `${STACK}-${wf}`);
    if (!m) throw new Error(`state machine ${STACK}-${wf} not found on target ${name}`);
    return m.stateMachineArn!;
  };
  const tables = (await ddb.send(new ListTablesCommand({}))).TableNames ?? [];
  const tableName = tables.find((t) => t.startsWith(`${STACK}-State`));
  if (!tableName) throw new Error(`state table not found on target ${name}`);
  return {
    name, sfn, events, doc: DynamoDBDocumentClient.from(ddb), pipelineArn: arn('pipeline'), parentArn: arn('parent'),
    busName: `${STACK}-bus`, tableName, runtime, machineArn: arn,
    stop: async () => { sfn.destroy(); events.destroy(); ddb.destroy(); await stop(); },
  };
}


export async function startEmbedded(): Promise<Target> {
  const rt = await LocalRuntime.start({ projectDir, synth: 'never' });
  return discover('embedded', localClientConfig(rt.endpointUrl), () => rt.stop(), rt);
}

/** Why LocalStack cannot run here, or undefined when a container runtime answers. */
export async function containerRuntimeUnavailable(): Promise<string | undefined> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return undefined;
  } catch (err) {
    return `no container runtime: ${(err as Error).message.split('\n')[0]}`;
  }
}

export async function startLocalStack(): Promise<Target> {
  const { LocalstackContainer } = await import('@testcontainers/localstack');
  let container = new LocalstackContainer(LOCALSTACK_IMAGE);
  if (process.env.LOCALSTACK_AUTH_TOKEN) container = container.withEnvironment({ LOCALSTACK_AUTH_TOKEN: process.env.LOCALSTACK_AUTH_TOKEN });
  const started = await container.start();
  const endpoint = started.getConnectionUri();
  // cdklocal reads the endpoint from AWS_ENDPOINT_URL and the port of asset URLs from EDGE_PORT.
  const env = { ...process.env, AWS_ENDPOINT_URL: endpoint, EDGE_PORT: new URL(endpoint).port, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-east-1' };
  const cdk = path.join(projectDir, 'node_modules', '.bin', 'cdklocal');
  execFileSync(cdk, ['bootstrap'], { cwd: projectDir, env, stdio: 'inherit' });
  execFileSync(cdk, ['deploy', '--require-approval', 'never', '--app', 'cdk.out'], { cwd: projectDir, env, stdio: 'inherit' });
  return discover('localstack', localClientConfig(endpoint), async () => { await started.stop(); });
}

export async function startAws(): Promise<Target> {
  return discover('aws', { region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION }, async () => undefined);
}
