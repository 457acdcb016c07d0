/**
 * EventBridge: the default bus and the template's buses, PutEvents routed through the template's
 * rules (content filters, Input / InputPath / InputTransformer), delivery with the target's retry
 * policy and dead-letter queue (an SQS queue of the runtime's one queue store), and archives.
 */
import { randomUUID } from 'crypto';
import { JSONPath } from 'jsonpath-plus';
import { Clock } from './clock';
import { matchesPattern } from './event-pattern';
import { LocalQueues } from './queues';
import { ArchiveDef, BusDef, RuleDef, RuleTargetDef } from './template';

export interface BusEvent {
  version: '0'; id: string; 'detail-type': string; source: string; account: string; time: string; region: string; resources: string[]; detail: unknown;
}
export interface PutEventsEntry { Source?: string; DetailType?: string; Detail?: string | object; EventBusName?: string; Resources?: string[]; Time?: string | Date | number }
export interface PutEventsResultEntry { EventId?: string; ErrorCode?: string; ErrorMessage?: string }

/** Delivers an event's transformed input to a target ARN; throws when delivery fails. */
export type TargetDispatcher = (targetArn: string, input: unknown, event: BusEvent) => Promise<void>;

const MAX_EVENT_BYTES = 256 * 1024;

export interface LocalBusOptions {
  readonly rules: RuleDef[];
  readonly buses: BusDef[];
  readonly archives: ArchiveDef[];
  /** The runtime's queues: a target's dead-letter queue is one of them (`bus.queues` is `runtime.queues`). */
  readonly queues: LocalQueues;
  readonly region: string;
  readonly account: string;
  readonly clock: Clock;
  /** Delivers an event to a rule target (the runtime's service registry). */
  readonly dispatch: TargetDispatcher;
}

export class LocalBus {
  readonly buses = new Map<string, BusDef>();
  readonly archived = new Map<string, BusEvent[]>();
  /** Every event put on a bus, by bus name (for inspection). */
  readonly seen = new Map<string, BusEvent[]>();
  deliveries = 0;
  /** Dead letters that their queue refused (too large, ...): lost, as on AWS. */
  readonly dlqFailures: { rule: string; target: string; eventId: string; error: string }[] = [];
  private listeners: ((bus: string, e: BusEvent) => void)[] = [];

  readonly queues: LocalQueues;
  private readonly rules: RuleDef[];
  private readonly archives: ArchiveDef[];
  private readonly region: string;
  private readonly account: string;
  private readonly clock: Clock;
  private readonly dispatch: TargetDispatcher;

  constructor(o: LocalBusOptions) {
    ({ rules: this.rules, archives: this.archives, queues: this.queues, region: this.region, account: this.account, clock: this.clock, dispatch: this.dispatch } = o);
    this.buses.set('default', { logicalId: 'default', name: 'default', arn: `arn:aws:events:${o.region}:${o.account}:event-bus/default` });
    for (const b of o.buses) this.buses.set(b.name, b);
  }

  onEvent(listener: (bus: string, e: BusEvent) => void): () => void {
    this.listeners.push(listener);
    return () => { this.listeners = this.listeners.filter((l) => l !== listener); };
  }

  busName(nameOrArn?: string): string {
    if (!nameOrArn) return 'default';
    return nameOrArn.startsWith('arn:') ? nameOrArn.slice(nameOrArn.indexOf('event-bus/') + 'event-bus/'.length) : nameOrArn;
  }

  /** PutEvents: validates each entry as EventBridge does and routes the valid ones. */
  putEvents(entries: PutEventsEntry[], opts: { allowAwsSource?: boolean } = {}): { FailedEntryCount: number; Entries: PutEventsResultEntry[] } {
    const results = entries.map((entry) => this.putOne(entry, opts.allowAwsSource ?? false));
    return { FailedEntryCount: results.filter((r) => r.ErrorCode).length, Entries: results };
  }

  private putOne(entry: PutEventsEntry, allowAwsSource: boolean): PutEventsResultEntry {
    const fail = (ErrorCode: string, ErrorMessage: string) => ({ ErrorCode, ErrorMessage });
    if (!entry.Source) return fail('InvalidArgument', 'Parameter Source is not valid. Reason: Source is a required argument.');
    if (!entry.DetailType) return fail('InvalidArgument', 'Parameter DetailType is not valid. Reason: DetailType is a required argument.');
    if (entry.Detail === undefined) return fail('InvalidArgument', 'Parameter Detail is not valid. Reason: Detail is a required argument.');
    if (!allowAwsSource && entry.Source.startsWith('aws.')) return fail('NotAuthorizedForSourceException', `Not authorized for the source ${entry.Source}.`);
    let detail: unknown = entry.Detail;
    if (typeof detail === 'string') {
      try { detail = JSON.parse(detail); } catch { return fail('MalformedDetail', 'Detail is malformed.'); }
    }
    if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) return fail('MalformedDetail', 'Detail is malformed.');
    const busName = this.busName(entry.EventBusName);
    if (!this.buses.has(busName)) return fail('ResourceNotFoundException', `Event bus ${busName} does not exist.`);
    const event: BusEvent = {
      version: '0', id: randomUUID(), 'detail-type': entry.DetailType, source: entry.Source, account: this.account,
      time: new Date(entry.Time !== undefined ? new Date(entry.Time).getTime() : this.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: this.region, resources: entry.Resources ?? [], detail,
    };
    if (Buffer.byteLength(JSON.stringify(event)) > MAX_EVENT_BYTES) return fail('InvalidArgument', 'Total size of the entries in the request is over the limit.');
    this.route(busName, event);
    return { EventId: event.id };
  }

  private route(busName: string, event: BusEvent) {
    const list = this.seen.get(busName) ?? [];
    if (list.length > 10_000) list.splice(0, 1000);
    list.push(event);
    this.seen.set(busName, list);
    const busArn = this.buses.get(busName)!.arn;
    for (const a of this.archives) {
      if (a.busArn === busArn && (!a.pattern || matchesPattern(a.pattern, event))) {
        const arch = this.archived.get(a.name) ?? [];
        arch.push(event);
        this.archived.set(a.name, arch);
      }
    }
    for (const l of this.listeners) l(busName, event);
    for (const rule of this.rules) {
      if (!rule.enabled || rule.busName !== busName || !matchesPattern(rule.pattern, event)) continue;
      for (const target of rule.targets) {
        // Delivery is asynchronous, as on AWS: PutEvents returns before targets run.
        setImmediate(() => { void this.deliver(rule, target, event, 0); });
      }
    }
  }

  private async deliver(rule: RuleDef, target: RuleTargetDef, event: BusEvent, attempt: number): Promise<void> {
    let input: unknown;
    try {
      input = transformInput(target, event);
    } catch (err) {
      this.deadLetter(rule, target, event, { code: 'INVALID_JSON', message: `input transformation failed: ${(err as Error).message}`, attempts: attempt });
      return;
    }
    try {
      this.deliveries++;
      await this.dispatch(target.arn, input, event);
    } catch (err) {
      const ageSeconds = (this.clock.now() - Date.parse(event.time)) / 1000;
      const delayMs = Math.min(60_000, 1000 * 2 ** attempt);
      const retryable = isRetryable(err);
      if (attempt < target.maxRetries && ageSeconds + delayMs / 1000 < target.maxEventAgeSeconds && retryable) {
        this.clock.setTimeout(() => { void this.deliver(rule, target, event, attempt + 1); }, delayMs);
      } else {
        const e = err as Error;
        this.deadLetter(rule, target, event, {
          code: errorCode(e), message: `${e.name}: ${e.message}`, attempts: attempt,
          exhausted: !retryable ? undefined : attempt >= target.maxRetries ? 'MaximumRetryAttempts' : 'MaximumEventAgeInSeconds',
        });
      }
    }
  }

  /**
   * The dead-letter message as EventBridge writes it: the body is the event itself, and the reason
   * is in message attributes (RULE_ARN, TARGET_ARN, ERROR_CODE, ERROR_MESSAGE,
   * EXHAUSTED_RETRY_CONDITION, RETRY_ATTEMPTS).
   * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
   */
  private deadLetter(rule: RuleDef, target: RuleTargetDef, event: BusEvent, why: { code: string; message: string; attempts: number; exhausted?: string }) {
    if (!target.deadLetterArn) return;
    const str = (StringValue: string) => ({ DataType: 'String', StringValue });
    try {
      this.queues.send(target.deadLetterArn, JSON.stringify(event), { attributes: {
        RULE_ARN: str(rule.arn), TARGET_ARN: str(target.arn), ERROR_CODE: str(why.code), ERROR_MESSAGE: str(why.message.slice(0, 1024)),
        ...(why.exhausted ? { EXHAUSTED_RETRY_CONDITION: str(why.exhausted) } : {}),
        RETRY_ATTEMPTS: { DataType: 'Number', StringValue: String(why.attempts) },
      } });
    } catch (err) {
      // On AWS this is the InvocationsFailedToBeSentToDlq metric: the event is lost.
      this.dlqFailures.push({ rule: rule.name, target: target.id, eventId: event.id, error: (err as Error).message });
    }
  }
}

/** ERROR_CODE of a dead-lettered event, from the target's error. */
function errorCode(err: Error): string {
  const name = err?.name ?? '';
  if (/NotFound|DoesNotExist/.test(name)) return 'NO_RESOURCE';
  if (/Throttl|TooManyRequests/.test(name)) return 'THROTTLING';
  return 'SDK_CLIENT_ERROR';
}

/** Client errors (a bad input, a name already used) are not retried by EventBridge. */
function isRetryable(err: unknown): boolean {
  const name = (err as Error)?.name ?? '';
  return !['InvalidExecutionInput', 'ExecutionAlreadyExists', 'StateMachineDoesNotExist', 'InvalidArn', 'InvalidName', 'ValidationException'].includes(name);
}

/** Input / InputPath / InputTransformer, or the whole event. */
export function transformInput(target: Pick<RuleTargetDef, 'input' | 'inputPath' | 'inputTransformer'>, event: BusEvent): unknown {
  if (target.input !== undefined) return JSON.parse(target.input);
  if (target.inputPath !== undefined) return JSONPath({ path: target.inputPath, json: event as never, wrap: false }) ?? null;
  const t = target.inputTransformer;
  if (!t) return event;
  const values: Record<string, unknown> = {};
  for (const [k, p] of Object.entries(t.InputPathsMap ?? {})) values[k] = JSONPath({ path: p, json: event as never, wrap: false });
  const special: Record<string, unknown> = {
    'aws.events.rule-arn': undefined, 'aws.events.event': event, 'aws.events.event.json': event, 'aws.events.event.ingestion-time': event.time,
  };
  // A placeholder inside quotes takes the raw text; outside quotes it takes the JSON value.
  let inString = false;
  let out = '';
  const tpl = t.InputTemplate;
  for (let i = 0; i < tpl.length; i++) {
    const c = tpl[i];
    if (c === '"' && tpl[i - 1] !== '\\') { inString = !inString; out += c; continue; }
    if (c === '<') {
      const end = tpl.indexOf('>', i);
      const name = end > i ? tpl.slice(i + 1, end) : '';
      if (name && /^[A-Za-z0-9_.\-]+$/.test(name) && (name in values || name in special)) {
        const v = name in values ? values[name] : special[name];
        if (inString) out += v === undefined || v === null ? '' : typeof v === 'string' ? JSON.stringify(v).slice(1, -1) : JSON.stringify(v).replace(/"/g, '\\"');
        else out += v === undefined ? 'null' : JSON.stringify(v);
        i = end;
        continue;
      }
    }
    out += c;
  }
  try { return JSON.parse(out); } catch { return out; }
}
