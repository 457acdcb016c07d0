/** The SDK side of budgets: the DynamoDB store, the execution history and the threshold event. */
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { BUDGET_THRESHOLD_REACHED } from '../../lib/events';
import { keys } from '../../lib/state/keys';
import { ENV, requireEnv } from '../shared/env';
import { putIfVersion } from '../shared/versioned-put';
import { TransientError } from '../shared/errors';
import { BudgetState, BudgetStore, HistoryEvent, parseConfig, RunRecord, SettleDeps } from './logic';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const tableName = requireEnv(ENV.STATE_TABLE);
export const budgetConfig = parseConfig(requireEnv(ENV.BUDGET_CONFIG));
/** Run records are kept 90 days (the execution history's retention). */
const RUN_TTL_SECONDS = 90 * 86_400;

const store: BudgetStore = {
  async get(scope, period) {
    const item = (await doc.send(new GetCommand({ TableName: tableName, Key: keys.budgetPeriod(scope, period), ConsistentRead: true }))).Item;
    return item ? { spentUsd: item.spentUsd, reservations: item.reservations, runs: item.runs, threshold: item.threshold, version: item.version } : undefined;
  },
  async limit(scope) {
    const item = (await doc.send(new GetCommand({ TableName: tableName, Key: keys.budgetLimit(scope), ConsistentRead: true }))).Item;
    return typeof item?.limitUsd === 'number' ? item.limitUsd : undefined;
  },
  async put(scope, period, next: BudgetState, expectedVersion) {
    const item: Record<string, unknown> = { ...keys.budgetPeriod(scope, period), scope, period, ...next };
    if (!next.threshold) delete item.threshold;
    return putIfVersion(doc, tableName, item, expectedVersion);
  },
  async markThresholdSent(scope, period) {
    try {
      await doc.send(new UpdateCommand({
        TableName: tableName, Key: keys.budgetPeriod(scope, period), UpdateExpression: 'SET #t = :sent, #version = #version + :one',
        ConditionExpression: '#t = :pending', ExpressionAttributeNames: { '#t': 'threshold', '#version': 'version' },
        ExpressionAttributeValues: { ':sent': 'SENT', ':pending': 'PENDING', ':one': 1 },
      }));
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err; // another settle confirmed it
    }
  },
  async putRun(executionArn, run: RunRecord) {
    await doc.send(new PutCommand({ TableName: tableName, Item: { ...keys.budgetRun(executionArn), executionArn, ...run, expiresAt: Math.floor(Date.now() / 1000) + RUN_TTL_SECONDS } }));
  },
  async getRun(executionArn) {
    const item = (await doc.send(new GetCommand({ TableName: tableName, Key: keys.budgetRun(executionArn), ConsistentRead: true }))).Item;
    return item ? { scope: item.scope, period: item.period, estimatedCostUsd: item.estimatedCostUsd, actualCostUsd: item.actualCostUsd } : undefined;
  },
};

const sfn = new SFNClient({});
const events = new EventBridgeClient({});

export const budgetDeps: SettleDeps = {
  store, now: Date.now, sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  async history(executionArn) {
    const out: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, nextToken, includeExecutionData: false }));
      for (const e of page.events ?? []) out.push({ ...e, type: String(e.type), id: Number(e.id), previousEventId: e.previousEventId, timestamp: new Date(e.timestamp!).getTime() } as HistoryEvent);
      nextToken = page.nextToken;
    } while (nextToken);
    return out;
  },
  async publishThreshold(detail) {
    const out = await events.send(new PutEventsCommand({ Entries: [{ EventBusName: requireEnv(ENV.BUS_NAME), Source: BUDGET_THRESHOLD_REACHED.source, DetailType: BUDGET_THRESHOLD_REACHED.detailType, Detail: JSON.stringify(detail) }] }));
    if (out.FailedEntryCount) throw new TransientError(`PutEvents BudgetThresholdReached failed: ${JSON.stringify(out.Entries)}`);
  },
};
