/**
 * The template's tables in dynalite (in memory). Requests are handed to dynalite's own request
 * handler in-process (same validation, same errors, no socket): the runtime's integrations call
 * `call()`, and the endpoint passes the SDK's HTTP requests straight through `handle()`.
 * dynalite has no TTL deletion, so the store sweeps items whose TTL attribute is past (on demand
 * and periodically, on the runtime clock), as AWS does lazily.
 */
import { EventEmitter } from 'events';
import { IncomingMessage, Server, ServerResponse } from 'http';
import { Clock } from './clock';
import { TableDef } from './template';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (opts: Record<string, unknown>) => Server;

/** Operations dynalite implements (its own list); anything else is refused at boot. */
export const DYNAMODB_OPERATIONS = ['BatchGetItem', 'BatchWriteItem', 'CreateTable', 'DeleteItem', 'DeleteTable', 'DescribeTable', 'DescribeTimeToLive',
  'GetItem', 'ListTables', 'PutItem', 'Query', 'Scan', 'TagResource', 'UntagResource', 'ListTagsOfResource', 'UpdateItem', 'UpdateTable'];

export class DynamoDbError extends Error {
  constructor(name: string, message: string, readonly statusCode: number) { super(message); this.name = name; }
}

type AttributeMap = Record<string, Record<string, unknown>>;

export class LocalStore {
  private sweepTimer?: number;
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
    this.server.emit('request', req, res);
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
    const tick = () => { this.sweepExpired().catch(() => undefined).finally(() => { this.sweepTimer = this.clock.setTimeout(tick, intervalMs); }); };
    this.sweepTimer = this.clock.setTimeout(tick, intervalMs);
  }

  async stop(): Promise<void> {
    this.clock.clearTimeout(this.sweepTimer);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
