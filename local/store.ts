/**
 * The template's tables in dynalite (in memory), served over HTTP on a loopback port. dynalite has
 * no TTL deletion, so the store sweeps items whose TTL attribute is past (on demand and
 * periodically, on the runtime clock) as AWS does lazily.
 */
import { CreateTableCommand, DynamoDBClient, paginateScan, DeleteItemCommand, AttributeValue } from '@aws-sdk/client-dynamodb';
import { AddressInfo } from 'net';
import { Server } from 'http';
import { Clock } from './clock';
import { TableDef } from './template';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (opts: Record<string, unknown>) => Server;

export class LocalStore {
  readonly client: DynamoDBClient;
  private sweepTimer?: number;
  /** DynamoDB write calls made through the runtime's own integrations, per table and key prefix. */
  private constructor(private readonly server: Server, readonly endpoint: string, private readonly tables: TableDef[], private readonly clock: Clock) {
    this.client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  }

  static async start(tables: TableDef[], clock: Clock): Promise<LocalStore> {
    const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const store = new LocalStore(server, `http://127.0.0.1:${port}`, tables, clock);
    for (const t of tables) {
      await store.client.send(new CreateTableCommand({
        TableName: t.name, KeySchema: t.keySchema as never, AttributeDefinitions: t.attributeDefinitions as never, BillingMode: 'PAY_PER_REQUEST',
        ...(t.gsis ? { GlobalSecondaryIndexes: (t.gsis as Record<string, unknown>[]).map((g) => ({ ...g, ProvisionedThroughput: undefined })) as never } : {}),
      }));
    }
    return store;
  }

  /** Deletes every item whose TTL attribute is at or before now (epoch seconds). Returns the count. */
  async sweepExpired(): Promise<number> {
    const nowSeconds = Math.floor(this.clock.now() / 1000);
    let deleted = 0;
    for (const t of this.tables) {
      if (!t.ttlAttribute) continue;
      const keyNames = (t.keySchema as { AttributeName: string }[]).map((k) => k.AttributeName);
      for await (const page of paginateScan({ client: this.client }, {
        TableName: t.name, FilterExpression: '#ttl <= :now', ExpressionAttributeNames: { '#ttl': t.ttlAttribute },
        ExpressionAttributeValues: { ':now': { N: String(nowSeconds) } },
      })) {
        for (const item of page.Items ?? []) {
          const Key: Record<string, AttributeValue> = Object.fromEntries(keyNames.map((k) => [k, item[k]]));
          await this.client.send(new DeleteItemCommand({ TableName: t.name, Key }));
          deleted++;
        }
      }
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
    this.client.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
