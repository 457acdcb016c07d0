/**
 * `orch redrive`: re-invokes the functions whose asynchronous invocations Lambda gave up on, from
 * the invocation records in an on-failure destination queue. SDK clients only, so it works the same
 * against the local endpoint and against AWS.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ChangeMessageVisibilityCommand, DeleteMessageCommand, GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';

export interface RedriveClients { readonly sqs: SQSClient; readonly lambda: LambdaClient }

export interface RedriveOptions {
  /** Process at most this many messages. @default every message visible now */
  readonly max?: number;
  /** How long a received message stays hidden while it is redriven. @default 60 */
  readonly visibilityTimeoutSeconds?: number;
  /** Where each message's line goes. @default process.stdout */
  readonly out?: (line: string) => unknown;
}

export interface RedriveResult {
  readonly messageId: string;
  /** redriven: the function succeeded and the message was deleted; failing: kept; skipped: not an invocation record, kept. */
  readonly outcome: 'redriven' | 'failing' | 'skipped';
  readonly functionArn?: string;
  readonly error?: string;
}

/** The part of a Lambda invocation record (destination message body) that redrive needs. */
interface InvocationRecord { requestContext: { functionArn: string; requestId?: string; condition?: string }; requestPayload: unknown }

function parseRecord(body: string | undefined): InvocationRecord | undefined {
  try {
    const r = JSON.parse(body ?? '') as Partial<InvocationRecord>;
    return typeof r?.requestContext?.functionArn === 'string' && 'requestPayload' in r ? (r as InvocationRecord) : undefined;
  } catch {
    return undefined;
  }
}

/** A queue URL from a URL (returned as is) or a queue name (GetQueueUrl). */
export async function resolveQueueUrl(sqs: SQSClient, nameOrUrl: string): Promise<string> {
  if (/^https?:\/\//.test(nameOrUrl)) return nameOrUrl;
  return (await sqs.send(new GetQueueUrlCommand({ QueueName: nameOrUrl }))).QueueUrl!;
}

/**
 * Receives the queue's messages; for each Lambda invocation record, invokes
 * `requestContext.functionArn` with `requestPayload` (RequestResponse) and deletes the message only
 * when the function succeeded. Messages kept (still failing, or not invocation records) are made
 * visible again at the end, so a later run (or a consumer) sees them; within one run each message is
 * handled once.
 */
export async function redriveLambdaFailures(clients: RedriveClients, queueUrl: string, opts: RedriveOptions = {}): Promise<RedriveResult[]> {
  const out = opts.out ?? ((line: string) => process.stdout.write(line));
  const max = opts.max ?? Infinity;
  const results: RedriveResult[] = [];
  const kept: string[] = [];
  try {
    while (results.length < max) {
      const { Messages = [] } = await clients.sqs.send(new ReceiveMessageCommand({
        QueueUrl: queueUrl, MaxNumberOfMessages: Math.min(10, max - results.length), VisibilityTimeout: opts.visibilityTimeoutSeconds ?? 60, WaitTimeSeconds: 0,
      }));
      if (Messages.length === 0) break;
      for (const m of Messages) {
        const record = parseRecord(m.Body);
        if (!record) {
          results.push({ messageId: m.MessageId!, outcome: 'skipped' });
          kept.push(m.ReceiptHandle!);
          out(`skipped   ${m.MessageId}  not a Lambda invocation record\n`);
          continue;
        }
        const functionArn = record.requestContext.functionArn;
        const error = await invoke(clients.lambda, functionArn, record.requestPayload);
        if (error === undefined) {
          await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
          results.push({ messageId: m.MessageId!, outcome: 'redriven', functionArn });
          out(`redriven  ${m.MessageId}  ${functionArn}\n`);
        } else {
          results.push({ messageId: m.MessageId!, outcome: 'failing', functionArn, error });
          kept.push(m.ReceiptHandle!);
          out(`failing   ${m.MessageId}  ${functionArn}  ${error}\n`);
        }
      }
    }
  } finally {
    for (const handle of kept) {
      await clients.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: handle, VisibilityTimeout: 0 })).catch(() => undefined);
    }
  }
  return results;
}

/** Invokes synchronously; returns undefined on success, or the function's (or the API's) error. */
async function invoke(lambda: LambdaClient, functionArn: string, payload: unknown): Promise<string | undefined> {
  try {
    const r = await lambda.send(new InvokeCommand({ FunctionName: functionArn, InvocationType: 'RequestResponse', Payload: Buffer.from(JSON.stringify(payload ?? null)) }));
    if (!r.FunctionError) return undefined;
    const text = r.Payload ? Buffer.from(r.Payload).toString('utf8') : '';
    try {
      const e = JSON.parse(text) as { errorType?: string; errorMessage?: string };
      return `${e.errorType ?? r.FunctionError}: ${e.errorMessage ?? ''}`;
    } catch {
      return `${r.FunctionError}: ${text}`;
    }
  } catch (err) {
    return `${(err as Error).name}: ${(err as Error).message}`;
  }
}
