/**
 * Reads a synthesized cloud assembly (cdk.out) and resolves each template's intrinsic functions into
 * stable local names and ARNs (account 000000000000, the runtime's region).
 */
import * as fs from 'fs';
import * as path from 'path';
import { UnsupportedFeatureError } from './errors';

export const LOCAL_ACCOUNT = '000000000000';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
interface CfnResource { Type: string; Properties?: Record<string, Json>; Metadata?: Record<string, Json> }
interface CfnTemplate { Resources: Record<string, CfnResource>; Parameters?: Record<string, { Default?: Json }> }

export interface FunctionDef {
  logicalId: string; name: string; arn: string; cdkPath: string; assetDir: string; handler: string;
  runtime: string; timeoutSeconds: number; memorySize: number; environment: Record<string, string>; logGroupName: string;
  /** ReservedConcurrentExecutions: invocations beyond it are throttled (Lambda.TooManyRequestsException). */
  reservedConcurrency?: number;
  /** DeadLetterConfig.TargetArn: the queue that receives an asynchronous event once Lambda gives up on it. */
  deadLetterArn?: string;
}
/**
 * `AWS::Lambda::EventInvokeConfig` of a function ($LATEST): how Lambda retries its asynchronous
 * invocations and where it sends their records (SQS queues only, checked at load).
 */
export interface EventInvokeConfigDef {
  logicalId: string; cdkPath: string; functionName: string;
  /** MaximumRetryAttempts (0-2). @default 2 */
  maxRetries: number;
  /** MaximumEventAgeInSeconds (60-21600). @default 21600 */
  maxEventAgeSeconds: number;
  /** DestinationConfig.OnFailure.Destination / OnSuccess.Destination (a queue ARN). */
  onFailure?: string; onSuccess?: string;
}
export interface StateMachineDef { logicalId: string; name: string; arn: string; cdkPath: string; definition: Record<string, unknown>; roleArn: string; type: 'STANDARD' | 'EXPRESS' }
export interface TableDef {
  logicalId: string; name: string; arn: string; keySchema: Json; attributeDefinitions: Json; gsis?: Json; ttlAttribute?: string;
}
export interface RuleTargetDef {
  id: string; arn: string; input?: string; inputPath?: string;
  inputTransformer?: { InputPathsMap?: Record<string, string>; InputTemplate: string };
  deadLetterArn?: string; maxRetries: number; maxEventAgeSeconds: number;
}
export interface RuleDef { logicalId: string; name: string; arn: string; busName: string; pattern: Record<string, unknown>; enabled: boolean; targets: RuleTargetDef[] }
export interface BusDef { logicalId: string; name: string; arn: string }
export interface ArchiveDef { logicalId: string; name: string; busArn: string; pattern?: Record<string, unknown> }
export interface QueueDef {
  logicalId: string; name: string; arn: string; url: string; cdkPath: string;
  /** The template's queue attributes, or SQS's defaults. */
  visibilityTimeoutSeconds: number; retentionSeconds: number; delaySeconds: number; maxMessageBytes: number; receiveWaitSeconds: number;
}

export interface LocalModel {
  stackNames: string[]; region: string; account: string;
  functions: FunctionDef[]; stateMachines: StateMachineDef[]; tables: TableDef[];
  buses: BusDef[]; rules: RuleDef[]; archives: ArchiveDef[]; queues: QueueDef[]; eventInvokeConfigs: EventInvokeConfigDef[];
}

/** Physical names and ARNs, per resource type: [Ref, attributes]. */
function physical(type: string, logicalId: string, props: Record<string, Json>, stack: string, region: string, account: string) {
  const arn = (service: string, resource: string) => `arn:aws:${service}:${region}:${account}:${resource}`;
  const named = (prop: string, fallback = `${stack}-${logicalId}`) => (typeof props[prop] === 'string' ? (props[prop] as string) : fallback);
  switch (type) {
    case 'AWS::Lambda::Function': { const n = named('FunctionName'); return { ref: n, attrs: { Arn: arn('lambda', `function:${n}`) } }; }
    case 'AWS::StepFunctions::StateMachine': {
      const n = named('StateMachineName'); const a = arn('states', `stateMachine:${n}`);
      return { ref: a, attrs: { Arn: a, Name: n } };
    }
    case 'AWS::DynamoDB::Table': { const n = named('TableName'); return { ref: n, attrs: { Arn: arn('dynamodb', `table/${n}`), StreamArn: arn('dynamodb', `table/${n}/stream/local`) } }; }
    case 'AWS::Events::EventBus': { const n = named('Name'); return { ref: n, attrs: { Arn: arn('events', `event-bus/${n}`), Name: n } }; }
    case 'AWS::Events::Rule': { const n = named('Name'); return { ref: n, attrs: { Arn: arn('events', `rule/${n}`) } }; }
    case 'AWS::Events::Archive': { const n = named('ArchiveName'); return { ref: n, attrs: { Arn: arn('events', `archive/${n}`) } }; }
    case 'AWS::SQS::Queue': {
      const n = named('QueueName');
      return { ref: `http://sqs.${region}.localhost/${account}/${n}`, attrs: { Arn: arn('sqs', n), QueueName: n, QueueUrl: `http://sqs.${region}.localhost/${account}/${n}` } };
    }
    case 'AWS::SNS::Topic': { const n = named('TopicName'); const a = arn('sns', n); return { ref: a, attrs: { TopicArn: a, TopicName: n } }; }
    case 'AWS::IAM::Role': { const n = named('RoleName'); return { ref: n, attrs: { Arn: `arn:aws:iam::${account}:role/${n}`, RoleId: `LOCAL${logicalId}` } }; }
    case 'AWS::Logs::LogGroup': { const n = named('LogGroupName', `/local/${stack}/${logicalId}`); return { ref: n, attrs: { Arn: arn('logs', `log-group:${n}:*`) } }; }
    default: return { ref: logicalId, attrs: { Arn: arn('local', logicalId) } as Record<string, string> };
  }
}

export class IntrinsicResolver {
  private readonly names = new Map<string, { ref: string; attrs: Record<string, string> }>();
  constructor(private readonly template: CfnTemplate, private readonly stack: string, readonly region: string, readonly account: string) {
    for (const [id, r] of Object.entries(template.Resources)) this.names.set(id, physical(r.Type, id, r.Properties ?? {}, stack, region, account));
  }

  physical(logicalId: string) { return this.names.get(logicalId); }

  resolve(value: Json, where = 'template'): Json {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v, where));
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) return this.intrinsic(keys[0], value[keys[0]], where);
    const out: Record<string, Json> = {};
    for (const k of keys) out[k] = this.resolve(value[k], where);
    return out;
  }

  private pseudo(name: string, where: string): string {
    switch (name) {
      case 'AWS::Region': return this.region;
      case 'AWS::AccountId': return this.account;
      case 'AWS::Partition': return 'aws';
      case 'AWS::StackName': return this.stack;
      case 'AWS::URLSuffix': return 'amazonaws.com';
      case 'AWS::StackId': return `arn:aws:cloudformation:${this.region}:${this.account}:stack/${this.stack}/local`;
      default: throw new UnsupportedFeatureError(`Ref ${name}`, where);
    }
  }

  private intrinsic(fn: string, arg: Json, where: string): Json {
    switch (fn) {
      case 'Ref': {
        const name = arg as string;
        if (name.startsWith('AWS::')) return this.pseudo(name, where);
        const p = this.names.get(name);
        if (p) return p.ref;
        const param = this.template.Parameters?.[name];
        if (param && param.Default !== undefined) return param.Default;
        throw new UnsupportedFeatureError(`Ref to ${name}`, where, 'no such resource or parameter with a default');
      }
      case 'Fn::GetAtt': {
        const [id, attr] = Array.isArray(arg) ? (arg as string[]) : String(arg).split('.');
        const v = this.names.get(id)?.attrs[attr];
        if (v === undefined) throw new UnsupportedFeatureError(`Fn::GetAtt ${id}.${attr}`, where);
        return v;
      }
      case 'Fn::Join': {
        const [sep, parts] = arg as [string, Json[]];
        return (this.resolve(parts, where) as Json[]).map(String).join(sep);
      }
      case 'Fn::Select': {
        const [i, list] = arg as [Json, Json];
        return (this.resolve(list, where) as Json[])[Number(this.resolve(i, where))];
      }
      case 'Fn::Split': {
        const [sep, s] = arg as [string, Json];
        return String(this.resolve(s, where)).split(sep);
      }
      case 'Fn::Sub': {
        const [text, vars] = Array.isArray(arg) ? (arg as [string, Record<string, Json>]) : [arg as string, {}];
        return text.replace(/\$\{([^}!][^}]*)\}/g, (_m, name: string) => {
          if (name in vars) return String(this.resolve(vars[name], where));
          if (name.includes('.')) return String(this.intrinsic('Fn::GetAtt', name, where));
          return String(this.intrinsic('Ref', name, where));
        });
      }
      default:
        throw new UnsupportedFeatureError(fn, where);
    }
  }
}

function newestMtime(dir: string): number {
  let newest = 0;
  if (!fs.existsSync(dir)) return 0;
  if (!fs.statSync(dir).isDirectory()) return fs.statSync(dir).mtimeMs;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** True when cdk.out is missing or older than any source the app is built from (not the CLI in bin/). */
export function assemblyIsStale(projectDir: string, cdkOut: string): boolean {
  const manifest = path.join(cdkOut, 'manifest.json');
  if (!fs.existsSync(manifest)) return true;
  const built = fs.statSync(manifest).mtimeMs;
  return ['bin/app.ts', 'cdk.json', 'lib', 'lambdas', 'statemachines'].some((d) => newestMtime(path.join(projectDir, d)) > built);
}

export function loadAssembly(cdkOut: string, region = 'us-east-1', account = LOCAL_ACCOUNT): LocalModel {
  const manifest = JSON.parse(fs.readFileSync(path.join(cdkOut, 'manifest.json'), 'utf8'));
  const model: LocalModel = { stackNames: [], region, account, functions: [], stateMachines: [], tables: [], buses: [], rules: [], archives: [], queues: [], eventInvokeConfigs: [] };
  for (const [artifactId, artifact] of Object.entries<Record<string, any>>(manifest.artifacts ?? {})) {
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    const stack: string = artifact.properties?.stackName ?? artifactId;
    model.stackNames.push(stack);
    const template: CfnTemplate = JSON.parse(fs.readFileSync(path.join(cdkOut, artifact.properties.templateFile), 'utf8'));
    const r = new IntrinsicResolver(template, stack, region, account);
    for (const [id, res] of Object.entries(template.Resources)) {
      const props = (res.Properties ?? {}) as Record<string, Json>;
      const where = `${stack}/${id}`;
      const cdkPath = String(res.Metadata?.['aws:cdk:path'] ?? where);
      const p = r.physical(id)!;
      const resolve = (v: Json) => r.resolve(v, where);
      switch (res.Type) {
        case 'AWS::Lambda::Function': {
          const assetPath = res.Metadata?.['aws:asset:path'];
          if (typeof assetPath !== 'string') throw new UnsupportedFeatureError('a Lambda function without a local code asset (inline or image code)', cdkPath);
          const env = ((resolve(props.Environment ?? null) as Record<string, Json> | null)?.Variables ?? {}) as Record<string, Json>;
          const logConfig = resolve(props.LoggingConfig ?? null) as Record<string, string> | null;
          const dlq = resolve(props.DeadLetterConfig ?? null) as { TargetArn?: string } | null;
          model.functions.push({
            logicalId: id, name: p.ref, arn: p.attrs.Arn, cdkPath, assetDir: path.join(cdkOut, assetPath),
            handler: String(props.Handler ?? 'index.handler'), runtime: String(props.Runtime ?? ''),
            timeoutSeconds: Number(props.Timeout ?? 3), memorySize: Number(props.MemorySize ?? 128),
            environment: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])),
            logGroupName: logConfig?.LogGroup ?? `/aws/lambda/${p.ref}`,
            ...(props.ReservedConcurrentExecutions !== undefined ? { reservedConcurrency: Number(resolve(props.ReservedConcurrentExecutions)) } : {}),
            ...(dlq?.TargetArn ? { deadLetterArn: String(dlq.TargetArn) } : {}),
          });
          break;
        }
        case 'AWS::StepFunctions::StateMachine': {
          const def = props.DefinitionString !== undefined ? JSON.parse(String(resolve(props.DefinitionString))) : resolve(props.Definition ?? null);
          if (props.DefinitionSubstitutions) throw new UnsupportedFeatureError('DefinitionSubstitutions', cdkPath);
          model.stateMachines.push({ logicalId: id, name: p.attrs.Name, arn: p.attrs.Arn, cdkPath, definition: def as Record<string, unknown>, roleArn: String(resolve(props.RoleArn ?? '')), type: props.StateMachineType === 'EXPRESS' ? 'EXPRESS' : 'STANDARD' });
          break;
        }
        case 'AWS::DynamoDB::Table': {
          const ttl = resolve(props.TimeToLiveSpecification ?? null) as { AttributeName?: string; Enabled?: boolean } | null;
          model.tables.push({
            logicalId: id, name: p.ref, arn: p.attrs.Arn, keySchema: resolve(props.KeySchema), attributeDefinitions: resolve(props.AttributeDefinitions),
            gsis: props.GlobalSecondaryIndexes ? resolve(props.GlobalSecondaryIndexes) : undefined,
            ttlAttribute: ttl?.Enabled ? ttl.AttributeName : undefined,
          });
          break;
        }
        case 'AWS::Events::EventBus': model.buses.push({ logicalId: id, name: p.ref, arn: p.attrs.Arn }); break;
        case 'AWS::Events::Archive':
          model.archives.push({ logicalId: id, name: p.ref, busArn: String(resolve(props.SourceArn)), pattern: props.EventPattern ? resolve(props.EventPattern) as Record<string, unknown> : undefined });
          break;
        case 'AWS::SQS::Queue': {
          // FIFO ordering, message groups and deduplication are not modelled: refused rather than run as a standard queue.
          if (String(resolve(props.FifoQueue ?? false)) === 'true') throw new UnsupportedFeatureError('a FIFO SQS queue', cdkPath);
          const num = (v: Json | undefined, fallback: number) => (v === undefined ? fallback : Number(resolve(v)));
          model.queues.push({
            logicalId: id, name: p.attrs.QueueName, arn: p.attrs.Arn, url: p.ref, cdkPath,
            // SQS defaults: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html
            visibilityTimeoutSeconds: num(props.VisibilityTimeout, 30), retentionSeconds: num(props.MessageRetentionPeriod, 345_600),
            delaySeconds: num(props.DelaySeconds, 0), maxMessageBytes: num(props.MaximumMessageSize, 262_144), receiveWaitSeconds: num(props.ReceiveMessageWaitTimeSeconds, 0),
          });
          break;
        }
        case 'AWS::Lambda::EventInvokeConfig': {
          const dest = (resolve(props.DestinationConfig ?? null) ?? {}) as { OnFailure?: { Destination?: string }; OnSuccess?: { Destination?: string } };
          model.eventInvokeConfigs.push({
            logicalId: id, cdkPath, functionName: String(resolve(props.FunctionName)),
            maxRetries: props.MaximumRetryAttempts === undefined ? 2 : Number(resolve(props.MaximumRetryAttempts)),
            maxEventAgeSeconds: props.MaximumEventAgeInSeconds === undefined ? 21_600 : Number(resolve(props.MaximumEventAgeInSeconds)),
            onFailure: dest.OnFailure?.Destination, onSuccess: dest.OnSuccess?.Destination,
          });
          // Versions and aliases are not modelled: every invocation runs $LATEST, so only its configuration applies.
          const qualifier = String(resolve(props.Qualifier ?? '$LATEST'));
          if (qualifier !== '$LATEST') throw new UnsupportedFeatureError(`an EventInvokeConfig on the version or alias ${qualifier}`, cdkPath, 'the local runtime runs $LATEST only');
          break;
        }
        case 'AWS::Events::Rule': {
          if (props.ScheduleExpression) throw new UnsupportedFeatureError('scheduled EventBridge rules', cdkPath, 'use EventBridge Scheduler targets through the runtime clock');
          const targets = (resolve(props.Targets ?? []) as Record<string, any>[]).map((t) => ({
            id: String(t.Id), arn: String(t.Arn), input: t.Input, inputPath: t.InputPath, inputTransformer: t.InputTransformer,
            deadLetterArn: t.DeadLetterConfig?.Arn, maxRetries: t.RetryPolicy?.MaximumRetryAttempts ?? 185,
            maxEventAgeSeconds: t.RetryPolicy?.MaximumEventAgeInSeconds ?? 86400,
          }));
          const busRef = props.EventBusName === undefined ? 'default' : String(resolve(props.EventBusName));
          model.rules.push({
            logicalId: id, name: p.ref, arn: p.attrs.Arn, busName: busRef.startsWith('arn:') ? busRef.split('/').pop()! : busRef,
            pattern: resolve(props.EventPattern ?? null) as Record<string, unknown>, enabled: (props.State ?? 'ENABLED') === 'ENABLED', targets,
          });
          break;
        }
        default: break;
      }
    }
  }
  checkAsyncTargets(model);
  return model;
}

const KINDS: Record<string, string> = { sns: 'an SNS topic', lambda: 'a Lambda function', events: 'an EventBridge event bus', s3: 'an S3 bucket', sqs: 'an SQS queue of another app' };

/**
 * Where Lambda and EventBridge send what they give up on must be a queue of this app: the runtime
 * delivers records to its own queues only, and refuses (naming the function) any other kind.
 */
function checkAsyncTargets(model: LocalModel) {
  const queue = (arn: string) => model.queues.find((q) => q.arn === arn);
  const kind = (arn: string) => KINDS[arn.split(':')[2]] ?? arn;
  for (const c of model.eventInvokeConfigs) {
    const fn = model.functions.find((f) => f.name === c.functionName || f.arn === c.functionName);
    const where = `function ${fn?.name ?? c.functionName}, ${c.cdkPath}`;
    if (!fn) throw new UnsupportedFeatureError(`an EventInvokeConfig for ${c.functionName}, which is not a function of the synthesized app`, where);
    c.functionName = fn.name;
    for (const [which, arn] of [['on-failure', c.onFailure], ['on-success', c.onSuccess]] as const) {
      if (arn !== undefined && !queue(arn)) throw new UnsupportedFeatureError(`${kind(arn)} as the ${which} destination of asynchronous invocations`, where, 'only SQS queues of the app are supported');
    }
  }
  for (const f of model.functions) {
    if (f.deadLetterArn !== undefined && !queue(f.deadLetterArn)) throw new UnsupportedFeatureError(`${kind(f.deadLetterArn)} as a dead-letter queue (DeadLetterConfig)`, `function ${f.name}, ${f.cdkPath}`, 'only SQS queues of the app are supported');
  }
  for (const r of model.rules) {
    for (const t of r.targets) {
      if (t.deadLetterArn !== undefined && !queue(t.deadLetterArn)) throw new UnsupportedFeatureError(`${kind(t.deadLetterArn)} as the dead-letter queue of a rule target`, `rule ${r.name}, target ${t.id}`);
    }
  }
}
