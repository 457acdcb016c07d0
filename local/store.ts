/**
 * The template's tables in dynalite (in memory). Requests are handed to dynalite's own request
 * handler in-process (same validation, same errors, no socket): the runtime's integrations call
 * `call()`, and the endpoint passes the SDK's HTTP requests straight through `handle()`.
 * dynalite has no TTL deletion, so the store sweeps items whose TTL attribute is past (on demand
 * and periodically, on the runtime clock), as AWS does lazily.
 * dynalite has no transactions either: TransactWriteItems and TransactGetItems are served here on
 * top of it, serializably (a transaction holds the store's lock exclusively, every other request
 * holds it shared), with AWS's validation, cancellation reasons and ClientRequestToken idempotency.
 */
import { EventEmitter } from 'events';
import { IncomingMessage, Server, ServerResponse } from 'http';
import { randomUUID } from 'crypto';
import { crc32 } from 'zlib';
import { Clock } from './clock';
import { TableDef } from './template';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (opts: Record<string, unknown>) => Server;

const TRANSACTIONS = ['TransactWriteItems', 'TransactGetItems'];

/** Operations the store serves (dynalite's own list plus the transactions); anything else is refused at boot. */
export const DYNAMODB_OPERATIONS = ['BatchGetItem', 'BatchWriteItem', 'CreateTable', 'DeleteItem', 'DeleteTable', 'DescribeTable', 'DescribeTimeToLive',
  'GetItem', 'ListTables', 'PutItem', 'Query', 'Scan', 'TagResource', 'UntagResource', 'ListTagsOfResource', 'UpdateItem', 'UpdateTable', ...TRANSACTIONS];

export class DynamoDbError extends Error {
  /** `fields` are the error's other members on the wire (e.g. CancellationReasons). */
  constructor(name: string, message: string, readonly statusCode: number, readonly fields: Record<string, unknown> = {}) { super(message); this.name = name; }
}

type AttributeMap = Record<string, Record<string, unknown>>;
type Params = Record<string, unknown>;
interface CancellationReason { Code: string; Message?: string; Item?: AttributeMap }

const validation = (message: string) => new DynamoDbError('ValidationException', message, 400);

/**
 * A shared/exclusive lock, granted in arrival order (a waiting exclusive request holds back the
 * shared ones that come after it, so a transaction is never starved by a stream of writes).
 */
export class SharedExclusiveLock {
  private shared = 0;
  private exclusive = false;
  private readonly waiting: { exclusive: boolean; grant: () => void }[] = [];

  /** Resolves with the release function once granted. */
  acquire(exclusive: boolean): Promise<() => void> {
    return new Promise((resolve) => {
      this.waiting.push({ exclusive, grant: () => resolve(this.releaser(exclusive)) });
      this.drain();
    });
  }

  async run<T>(exclusive: boolean, fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire(exclusive);
    try { return await fn(); } finally { release(); }
  }

  private drain() {
    while (this.waiting.length > 0 && !this.exclusive && !(this.waiting[0].exclusive && this.shared > 0)) {
      const next = this.waiting.shift()!;
      if (next.exclusive) this.exclusive = true;
      else this.shared++;
      next.grant();
    }
  }

  private releaser(exclusive: boolean) {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (exclusive) this.exclusive = false;
      else this.shared--;
      this.drain();
    };
  }
}

export class LocalStore {
  private sweepTimer?: number;
  private sweepIntervalMs?: number;
  private sweepPaused = false;
  private readonly lock = new SharedExclusiveLock();
  /** ClientRequestToken -> the request it completed and when (runtime clock). */
  private readonly requestTokens = new Map<string, { request: string; at: number }>();
  private readonly authorization = 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=local';

  private constructor(private readonly server: Server, private readonly tables: TableDef[], private readonly clock: Clock) {}

  static async start(tables: TableDef[], clock: Clock): Promise<LocalStore> {
    const store = new LocalStore(dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }), tables, clock);
    for (const t of tables) {
      await store.call('CreateTable', {
        TableName: t.name, KeySchema: t.keySchema, AttributeDefinitions: t.attributeDefinitions, BillingMode: 'PAY_PER_REQUEST',
        ...(t.gsis ? { GlobalSecondaryIndexes: (t.gsis as Record<string, unknown>[]).map(({ ProvisionedThroughput: _p, ...g }) => g) } : {}),
      });
      // dynalite answers ResourceNotFound until the table leaves CREATING.
      for (let i = 0; (await store.call<{ Table: { TableStatus: string } }>('DescribeTable', { TableName: t.name })).Table.TableStatus !== 'ACTIVE'; i++) {
        if (i > 1000) throw new Error(`table ${t.name} did not become ACTIVE`);
        await new Promise((r) => setTimeout(r, 1));
      }
    }
    return store;
  }

  /** One DynamoDB API call (wire JSON in, wire JSON out); errors carry the API error name. */
  call<T = Record<string, unknown>>(operation: string, data: unknown): Promise<T> {
    if (operation === 'TransactWriteItems') return this.lock.run(true, () => this.transactWrite(data as Params)) as Promise<T>;
    if (operation === 'TransactGetItems') return this.lock.run(true, () => this.transactGet(data as Params)) as Promise<T>;
    return this.lock.run(false, () => this.raw<T>(operation, data));
  }

  /** A call to dynalite itself, with no lock (the caller holds it). */
  private raw<T>(operation: string, data: unknown): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const req = Object.assign(new EventEmitter(), {
        method: 'POST', url: '/',
        headers: { 'x-amz-target': `DynamoDB_20120810.${operation}`, 'content-type': 'application/x-amz-json-1.0', authorization: this.authorization, 'x-amz-date': '20260101T000000Z' },
      });
      const res = {
        statusCode: 200, contentType: '',
        setHeader() { /* headers are not needed in-process */ },
        end: (body?: string) => {
          let parsed: Record<string, unknown> = {};
          try { parsed = body ? JSON.parse(body) : {}; } catch { /* empty */ }
          if (res.statusCode === 200) resolve(parsed as T);
          else reject(new DynamoDbError(String(parsed.__type ?? 'InternalServerError').split('#').pop()!, String(parsed.message ?? parsed.Message ?? ''), res.statusCode));
        },
      };
      this.server.emit('request', req, res);
      req.emit('data', Buffer.from(JSON.stringify(data)));
      req.emit('end');
    });
  }

  /** Serves an HTTP request from an SDK client (the endpoint routes DynamoDB_20120810.* here). */
  handle(req: IncomingMessage, res: ServerResponse): void {
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1];
    if (TRANSACTIONS.includes(operation)) { void this.serveTransaction(operation, req, res); return; }
    // dynalite reads the body itself (it stays buffered in `req` until then); the request holds
    // the lock in shared mode until its response is sent.
    void this.lock.acquire(false).then((release) => {
      res.once('finish', release);
      res.once('close', release);
      this.server.emit('request', req, res);
    });
  }

  private async serveTransaction(operation: string, req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let status = 200;
    let out: Params;
    try {
      let data: Params;
      try { data = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { throw new DynamoDbError('SerializationException', 'Start of structure or map found where not expected', 400); }
      out = await this.call(operation, data);
    } catch (err) {
      const e = err instanceof DynamoDbError ? err : new DynamoDbError('InternalServerError', String((err as Error)?.message ?? err), 500);
      status = e.statusCode;
      // These two errors carry `Message` on the wire (the SDK's shapes); the others `message`.
      const messageKey = ['TransactionCanceledException', 'IdempotentParameterMismatchException'].includes(e.name) ? 'Message' : 'message';
      out = { __type: `com.amazonaws.dynamodb.v20120810#${e.name}`, [messageKey]: e.message, ...e.fields };
    }
    const body = JSON.stringify(out);
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.0', 'content-length': Buffer.byteLength(body), 'x-amz-crc32': String(crc32(body)),
      'x-amzn-requestid': randomUUID().replace(/-/g, '').toUpperCase(),
    });
    res.end(body);
  }

  // ---- Transactions ----------------------------------------------------------------------------
  // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
  // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactGetItems.html
  // Both run under the exclusive lock, so no other request of the store interleaves with them:
  // snapshots taken at the start are still current when a rollback restores them.

  /**
   * Snapshots every target item, applies each action through dynalite with its own condition (a
   * ConditionCheck as a no-op conditional write), and when any action fails restores the applied
   * ones from their snapshots: all or nothing. Every action is evaluated, so the cancellation
   * reasons are complete and in request order, `None` for the actions that would have succeeded.
   */
  private async transactWrite(data: Params): Promise<Params> {
    const actions = this.transactItems(data, ['ConditionCheck', 'Put', 'Delete', 'Update']);
    const token = data.ClientRequestToken;
    if (token !== undefined && (typeof token !== 'string' || token.length < 1 || token.length > 36)) {
      throw validation("1 validation error detected: Value at 'clientRequestToken' failed to satisfy constraint: Member must have length between 1 and 36");
    }
    // A token is remembered for 10 minutes after its request completed; within that window the
    // same request succeeds again without effect, and a different one is refused. A cancelled
    // transaction changed nothing, so its token is not remembered (a retry runs it again).
    const now = this.clock.now();
    for (const [t, seen] of this.requestTokens) if (now - seen.at >= 10 * 60_000) this.requestTokens.delete(t);
    const request = canonicalJson(data);
    const seen = typeof token === 'string' ? this.requestTokens.get(token) : undefined;
    if (seen && seen.request !== request) {
      throw new DynamoDbError('IdempotentParameterMismatchException', 'Request with the same client token was already processed with different parameters', 400);
    }
    if (seen) return {};
    for (const a of actions) {
      if (a.kind === 'ConditionCheck' && typeof a.params.ConditionExpression !== 'string') throw validation('TransactItems.ConditionCheck requires a ConditionExpression');
      if (a.kind === 'Update' && typeof a.params.UpdateExpression !== 'string') throw validation('TransactItems.Update requires an UpdateExpression');
    }
    const keys = await this.distinctKeys(actions);
    const snapshots = await Promise.all(actions.map((a, i) => this.raw<{ Item?: AttributeMap }>('GetItem', { TableName: a.params.TableName, Key: keys[i], ConsistentRead: true }).then((r) => r.Item)));
    const reasons: CancellationReason[] = [];
    const applied: number[] = [];
    let fatal: unknown;
    for (const [i, a] of actions.entries()) {
      const { ReturnValuesOnConditionCheckFailure: returnOld, ...params } = a.params;
      try {
        await this.raw(...actionRequest(a.kind, params, snapshots[i]));
        if (a.kind !== 'ConditionCheck') applied.push(i);
        reasons.push({ Code: 'None' });
      } catch (err) {
        const e = err as DynamoDbError;
        if (e.name === 'ConditionalCheckFailedException') {
          reasons.push({ Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', ...(returnOld === 'ALL_OLD' && snapshots[i] ? { Item: snapshots[i] } : {}) });
        } else if (e.name === 'ValidationException' && ITEM_VALIDATION_ERRORS.test(e.message)) {
          reasons.push({ Code: 'ValidationError', Message: e.message });
        } else {
          fatal = err; // a malformed request: the whole call fails with this error
          break;
        }
      }
    }
    if (fatal || reasons.some((r) => r.Code !== 'None')) {
      for (const i of applied.reverse()) {
        const table = actions[i].params.TableName;
        await (snapshots[i] ? this.raw('PutItem', { TableName: table, Item: snapshots[i] }) : this.raw('DeleteItem', { TableName: table, Key: keys[i] }));
      }
      if (fatal) throw fatal;
      throw new DynamoDbError('TransactionCanceledException', `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`, 400, { CancellationReasons: reasons });
    }
    if (typeof token === 'string') this.requestTokens.set(token, { request, at: this.clock.now() });
    return {};
  }

  /** Reads every item with no write in between. */
  private async transactGet(data: Params): Promise<Params> {
    const actions = this.transactItems(data, ['Get']);
    const keys = await this.distinctKeys(actions);
    const items = await Promise.all(actions.map((a, i) => this.raw<{ Item?: AttributeMap }>('GetItem', { ...a.params, Key: keys[i], ConsistentRead: true })));
    return { Responses: items.map((r) => (r.Item ? { Item: r.Item } : {})) };
  }

  /** The request's actions: 1 to 100, each exactly one of `kinds`. */
  private transactItems(data: Params, kinds: string[]): { kind: string; params: Params }[] {
    const list = data?.TransactItems;
    if (!Array.isArray(list)) throw validation("1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must not be null");
    if (list.length < 1 || list.length > 100) {
      const bound = list.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 100';
      throw validation(`1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length ${bound}`);
    }
    return list.map((entry: Params) => {
      const present = kinds.filter((k) => entry?.[k] !== undefined && entry[k] !== null);
      if (present.length !== 1 || Object.keys(entry).length !== 1) throw validation(`TransactItems can only contain one of ${kinds.join(', ')}`);
      return { kind: present[0], params: entry[present[0]] as Params };
    });
  }

  /** Each action's primary key (a Put's from its item); two actions on one item are refused. */
  private async distinctKeys(actions: { kind: string; params: Params }[]): Promise<AttributeMap[]> {
    const schemas = new Map<unknown, string[]>();
    const seen = new Set<string>();
    const keys: AttributeMap[] = [];
    for (const a of actions) {
      const table = a.params.TableName;
      if (!schemas.has(table)) {
        const described = await this.raw<{ Table: { KeySchema: { AttributeName: string }[] } }>('DescribeTable', { TableName: table });
        schemas.set(table, described.Table.KeySchema.map((k) => k.AttributeName));
      }
      const source = (a.kind === 'Put' ? a.params.Item : a.params.Key) as AttributeMap | undefined;
      const key = Object.fromEntries(schemas.get(table)!.map((name) => [name, source?.[name]])) as AttributeMap;
      const id = canonicalJson([table, key]);
      if (seen.has(id)) throw validation('Transaction request cannot include multiple operations on one item');
      seen.add(id);
      keys.push(a.kind === 'Put' ? key : source!);
    }
    return keys;
  }

  /** Deletes every item whose TTL attribute is at or before now (epoch seconds). Returns the count. */
  async sweepExpired(): Promise<number> {
    const nowSeconds = Math.floor(this.clock.now() / 1000);
    let deleted = 0;
    for (const t of this.tables) {
      if (!t.ttlAttribute) continue;
      const keyNames = (t.keySchema as { AttributeName: string }[]).map((k) => k.AttributeName);
      let start: AttributeMap | undefined;
      do {
        const page: { Items?: AttributeMap[]; LastEvaluatedKey?: AttributeMap } = await this.call('Scan', {
          TableName: t.name, FilterExpression: '#ttl <= :now', ExpressionAttributeNames: { '#ttl': t.ttlAttribute },
          ExpressionAttributeValues: { ':now': { N: String(nowSeconds) } }, ...(start ? { ExclusiveStartKey: start } : {}),
        });
        for (const item of page.Items ?? []) {
          // Conditional, as TTL is: an item rewritten with a later expiry since the scan stays.
          try {
            await this.call('DeleteItem', {
              TableName: t.name, Key: Object.fromEntries(keyNames.map((k) => [k, item[k]])),
              ConditionExpression: '#ttl <= :now', ExpressionAttributeNames: { '#ttl': t.ttlAttribute }, ExpressionAttributeValues: { ':now': { N: String(nowSeconds) } },
            });
            deleted++;
          } catch (err) {
            if ((err as Error).name !== 'ConditionalCheckFailedException') throw err;
          }
        }
        start = page.LastEvaluatedKey;
      } while (start);
    }
    return deleted;
  }

  /** Sweeps every `intervalMs` of clock time (so advancing the clock sweeps too). */
  startSweeper(intervalMs: number): void {
    this.sweepIntervalMs = intervalMs;
    this.sweepPaused = false;
    const tick = () => { this.sweepExpired().catch(() => undefined).finally(() => { if (!this.sweepPaused) this.sweepTimer = this.clock.setTimeout(tick, intervalMs); }); };
    this.sweepTimer = this.clock.setTimeout(tick, intervalMs);
  }

  /** Stops the periodic sweep until the returned function is called (tests of expired-but-not-deleted items). */
  pauseSweeper(): () => void {
    this.sweepPaused = true;
    this.clock.clearTimeout(this.sweepTimer);
    const intervalMs = this.sweepIntervalMs ?? 60_000;
    return () => this.startSweeper(intervalMs);
  }

  async stop(): Promise<void> {
    this.clock.clearTimeout(this.sweepTimer);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * The dynalite call that performs a transaction action with its condition. A ConditionCheck writes
 * its item back unchanged (or deletes the absent item), so only its condition has an effect.
 */
function actionRequest(kind: string, params: Params, snapshot: AttributeMap | undefined): [string, Params] {
  if (kind !== 'ConditionCheck') return [`${kind}Item`, params];
  const { Key, ...condition } = params;
  return snapshot ? ['PutItem', { ...condition, Item: snapshot }] : ['DeleteItem', { ...condition, Key }];
}

/**
 * Errors that an action's effect on its item raises (the ValidationError cancellation reasons of
 * TransactionCanceledException), as opposed to a malformed request, which fails the whole call.
 */
const ITEM_VALIDATION_ERRORS = /size .*exceeded the maximum allowed size|Type mismatch for attribute to update|document path provided in the update expression is invalid|operand in the update expression has an incorrect data type|update the secondary index key/;

/** JSON with object keys sorted: equal requests give equal text whatever their key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v));
}
