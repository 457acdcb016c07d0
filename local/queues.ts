/**
 * The runtime's SQS queues (the template's `AWS::SQS::Queue`s), one store for everything that
 * writes to a queue: EventBridge rule-target dead-letter queues, Lambda on-failure / on-success
 * destinations and dead-letter queues, and SendMessage on the endpoint. Standard-queue semantics on
 * the runtime clock: visibility timeout, delay, retention, receive counts, long polling.
 */
import { createHash, randomUUID } from 'crypto';
import { Clock } from './clock';
import { ApiError } from './errors';
import { QueueDef } from './template';

/** An SQS message attribute as the API carries it (BinaryValue base64-encoded). */
export interface MessageAttributeValue { DataType: string; StringValue?: string; BinaryValue?: string }

export interface QueueMessage {
  readonly MessageId: string;
  readonly Body: string;
  readonly MD5OfBody: string;
  readonly MessageAttributes: Record<string, MessageAttributeValue>;
  readonly MD5OfMessageAttributes?: string;
  /** The receipt handle of the latest receive (undefined until received). */
  ReceiptHandle?: string;
  /** Clock times (ms). */
  readonly sentAt: number;
  visibleAt: number;
  firstReceivedAt?: number;
  receiveCount: number;
}

/**
 * An SQS error as the JSON protocol returns it: `__type` is the Smithy shape id and
 * `x-amzn-query-error` carries the query-protocol code, which the SDK (awsQueryCompatible) and
 * botocore read to name the error (`QueueDoesNotExist`, code `AWS.SimpleQueueService.NonExistentQueue`).
 */
export class SqsError extends ApiError {
  constructor(readonly shape: string, readonly queryCode: string, message: string, status = 400) {
    super(`com.amazonaws.sqs#${shape}`, message, status);
  }
}

export const queueDoesNotExist = () => new SqsError('QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist.');
const invalid = (message: string) => new SqsError('InvalidParameterValue', 'InvalidParameterValue', message);

export class LocalQueue {
  messages: QueueMessage[] = [];
  readonly createdAt: number;
  waiters = new Set<() => void>();
  purgedAt?: number;
  constructor(readonly def: QueueDef, now: number) { this.createdAt = now; }
}

export interface SendOptions { attributes?: Record<string, MessageAttributeValue>; delaySeconds?: number }
export interface ReceiveOptions { max?: number; visibilityTimeoutSeconds?: number; waitTimeSeconds?: number }

export class LocalQueues {
  readonly byArn = new Map<string, LocalQueue>();
  /** Origin of the queue URLs the API returns (the endpoint, once it listens), so SDK clients keep talking to it. */
  baseUrl = '';
  private readonly handles = new Map<string, { queue: LocalQueue; messageId: string }>();

  constructor(defs: QueueDef[], private readonly clock: Clock, private readonly account: string) {
    for (const d of defs) this.byArn.set(d.arn, new LocalQueue(d, clock.now()));
  }

  list(): LocalQueue[] { return [...this.byArn.values()]; }

  /** The queue's URL as the API returns it. */
  url(q: LocalQueue): string { return this.baseUrl ? `${this.baseUrl}/${this.account}/${q.def.name}` : q.def.url; }

  /** A queue by name, ARN, or any URL whose path ends in `/<account>/<name>` (ours, the template's, or AWS's form). */
  find(ref: string): LocalQueue | undefined {
    const direct = this.byArn.get(ref);
    if (direct) return direct;
    let name = ref;
    if (/^https?:\/\//.test(ref)) {
      const parts = new URL(ref).pathname.split('/').filter(Boolean);
      if (parts.length !== 2 || parts[0] !== this.account) return undefined;
      name = parts[1];
    } else if (ref.startsWith('arn:')) return undefined;
    return this.list().find((q) => q.def.name === name);
  }

  get(ref: string): LocalQueue {
    const q = ref ? this.find(ref) : undefined;
    if (!q) throw queueDoesNotExist();
    return q;
  }

  send(ref: string, body: string, opts: SendOptions = {}): QueueMessage {
    const q = this.get(ref);
    if (typeof body !== 'string' || body.length === 0) throw new SqsError('MissingParameter', 'MissingParameter', 'The request must contain the parameter MessageBody.');
    const attributes = opts.attributes ?? {};
    const size = Buffer.byteLength(body) + Object.entries(attributes).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v.DataType) + Buffer.byteLength(v.StringValue ?? v.BinaryValue ?? ''), 0);
    if (size > q.def.maxMessageBytes) throw invalid(`One or more parameters are invalid. Reason: Message must be shorter than ${q.def.maxMessageBytes} bytes.`);
    // SQS accepts only these characters: #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF.
    // eslint-disable-next-line no-control-regex
    if (/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(body)) {
      throw new SqsError('InvalidMessageContents', 'InvalidMessageContents', 'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF');
    }
    const delay = opts.delaySeconds ?? q.def.delaySeconds;
    if (!(delay >= 0 && delay <= 900)) throw invalid(`Value ${delay} for parameter DelaySeconds is invalid. Reason: must be between 0 and 900, if provided.`);
    const now = this.clock.now();
    const names = Object.keys(attributes);
    const message: QueueMessage = {
      MessageId: randomUUID(), Body: body, MD5OfBody: md5(body), MessageAttributes: attributes,
      ...(names.length ? { MD5OfMessageAttributes: md5OfAttributes(attributes) } : {}),
      sentAt: now, visibleAt: now + delay * 1000, receiveCount: 0,
    };
    q.messages.push(message);
    for (const w of [...q.waiters]) w();
    return message;
  }

  /** Receives up to `max` visible messages, hiding them for the visibility timeout (runtime clock). */
  receive(ref: string, opts: ReceiveOptions = {}): QueueMessage[] {
    const q = this.get(ref);
    const max = opts.max ?? 1;
    if (!(Number.isInteger(max) && max >= 1 && max <= 10)) throw invalid(`Value ${max} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`);
    const vt = opts.visibilityTimeoutSeconds ?? q.def.visibilityTimeoutSeconds;
    if (!(vt >= 0 && vt <= 43_200)) throw invalid(`Value ${vt} for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and 43200, if provided.`);
    const now = this.expire(q);
    const out: QueueMessage[] = [];
    for (const m of q.messages) {
      if (out.length >= max) break;
      if (m.visibleAt > now) continue;
      m.receiveCount++;
      m.firstReceivedAt ??= now;
      m.visibleAt = now + vt * 1000;
      m.ReceiptHandle = Buffer.from(`${q.def.name} ${m.MessageId} ${randomUUID()}`).toString('base64');
      this.handles.set(m.ReceiptHandle, { queue: q, messageId: m.MessageId });
      out.push(m);
    }
    return out;
  }

  /** ReceiveMessage with long polling: waits (on the runtime clock) up to WaitTimeSeconds for a message. */
  async receiveWait(ref: string, opts: ReceiveOptions = {}): Promise<QueueMessage[]> {
    const q = this.get(ref);
    const wait = opts.waitTimeSeconds ?? q.def.receiveWaitSeconds;
    if (!(wait >= 0 && wait <= 20)) throw invalid(`Value ${wait} for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.`);
    const deadline = this.clock.now() + wait * 1000;
    for (;;) {
      const got = this.receive(ref, opts);
      const remaining = deadline - this.clock.now();
      if (got.length || remaining <= 0) return got;
      // Wake on a new message, or after at most a second (a message may have become visible again).
      await new Promise<void>((resolve) => {
        const done = () => { q.waiters.delete(done); this.clock.clearTimeout(timer); resolve(); };
        const timer = this.clock.setTimeout(done, Math.min(remaining, 1000));
        q.waiters.add(done);
      });
    }
  }

  deleteMessage(ref: string, receiptHandle: string): void {
    const q = this.get(ref);
    const h = this.handle(q, receiptHandle);
    // Deleting a message that is already gone succeeds, as on SQS (its handles stay known).
    q.messages = q.messages.filter((m) => m.MessageId !== h.messageId);
  }

  changeVisibility(ref: string, receiptHandle: string, seconds: number): void {
    const q = this.get(ref);
    const h = this.handle(q, receiptHandle);
    if (!(seconds >= 0 && seconds <= 43_200)) throw invalid(`Value ${seconds} for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and 43200, if provided.`);
    const m = q.messages.find((x) => x.MessageId === h.messageId);
    const now = this.clock.now();
    if (!m || m.visibleAt <= now) throw new SqsError('MessageNotInflight', 'AWS.SimpleQueueService.MessageNotInflight', 'Message does not exist or is not available for visibility timeout change.');
    m.visibleAt = now + seconds * 1000;
    if (seconds === 0) for (const w of [...q.waiters]) w();
  }

  /** PurgeQueue: one purge per queue per 60 s, as SQS allows. */
  purge(ref: string): void {
    const q = this.get(ref);
    const now = this.clock.now();
    if (q.purgedAt !== undefined && now - q.purgedAt < 60_000) {
      throw new SqsError('PurgeQueueInProgress', 'AWS.SimpleQueueService.PurgeQueueInProgress', `Only one PurgeQueue operation on ${q.def.name} is allowed every 60 seconds.`, 403);
    }
    q.purgedAt = now;
    q.messages = [];
  }

  /** Every message now in the queue (visible, in flight or delayed), oldest first: for tests. */
  peek(ref: string): QueueMessage[] { const q = this.get(ref); this.expire(q); return [...q.messages]; }

  /** The bodies of every message now in the queue, parsed as JSON when they are JSON: for tests. */
  bodies(ref: string): unknown[] {
    return this.peek(ref).map((m) => { try { return JSON.parse(m.Body); } catch { return m.Body; } });
  }

  counts(ref: string): { visible: number; inFlight: number; delayed: number } {
    const q = this.get(ref);
    const now = this.expire(q);
    let visible = 0; let inFlight = 0; let delayed = 0;
    for (const m of q.messages) {
      if (m.visibleAt <= now) visible++;
      else if (m.receiveCount > 0) inFlight++;
      else delayed++;
    }
    return { visible, inFlight, delayed };
  }

  private handle(q: LocalQueue, receiptHandle: string) {
    const h = this.handles.get(receiptHandle);
    if (!h || h.queue !== q) {
      throw new SqsError('ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid', `The input receipt handle "${receiptHandle}" is not a valid receipt handle.`, 404);
    }
    return h;
  }

  /** Drops messages past the retention period; returns now. */
  private expire(q: LocalQueue): number {
    const now = this.clock.now();
    const limit = q.def.retentionSeconds * 1000;
    if (q.messages.some((m) => now - m.sentAt >= limit)) q.messages = q.messages.filter((m) => now - m.sentAt < limit);
    return now;
  }
}

export function md5(text: string | Buffer): string { return createHash('md5').update(text).digest('hex'); }

/**
 * MD5OfMessageAttributes as SQS computes it: attributes sorted by name, each encoded as
 * length-prefixed (4-byte big-endian) name, data type, a transport byte (1 string, 2 binary) and value.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html#sqs-attributes-md5-message-digest-calculation
 */
export function md5OfAttributes(attributes: Record<string, MessageAttributeValue>): string {
  const parts: Buffer[] = [];
  const field = (b: Buffer) => { const len = Buffer.alloc(4); len.writeUInt32BE(b.length); parts.push(len, b); };
  for (const name of Object.keys(attributes).sort()) {
    const v = attributes[name];
    field(Buffer.from(name, 'utf8'));
    field(Buffer.from(v.DataType, 'utf8'));
    if (v.BinaryValue !== undefined) { parts.push(Buffer.from([2])); field(Buffer.from(v.BinaryValue, 'base64')); }
    else { parts.push(Buffer.from([1])); field(Buffer.from(v.StringValue ?? '', 'utf8')); }
  }
  return md5(Buffer.concat(parts));
}
