/**
 * Key design of the single state table, shared by the CDK code (ASL expressions) and the handlers.
 *
 * | entity              | pk                              | sk                  | notes                              |
 * |---------------------|---------------------------------|---------------------|------------------------------------|
 * | run claim (dedup)   | `RUN#<runId>`                   | `CLAIM`             | conditional put; expiresAt = TTL   |
 * | checkpoint          | `RUN#<runId>`                   | `CHECKPOINT#<step>` | one per task result                |
 * | execution ledger    | `EXECUTION#<arn>`               | `STATUS`            | from Execution Status Change       |
 * | circuit breaker     | `CIRCUIT#<dependency>`          | `STATE`             | versioned; conditional writes      |
 * | step checkpoint     | `CKPT#<workflow>#<runId>`       | `STEP#<step>`       | checkpoint-and-resume; TTL         |
 * | saga header         | `SAGA#<saga>#<sagaId>`          | `HEADER`            | status of the saga                 |
 * | saga log entry      | `SAGA#<saga>#<sagaId>`          | `ACTION#<step>` / `COMPENSATION#<step>` | idempotency: written once |
 * | bulkhead partition  | `BULKHEAD#<name>`               | `PARTITION#<p>`     | holders map, leases                |
 * | token-bucket shard  | `QUOTA#<bucket>`                | `SHARD#<n>`         | tokens, refilled continuously      |
 * | quota usage         | `QUOTA#<bucket>`                | `USAGE#<workflow>`  | tokens consumed, per workflow (ADD)|
 * | quota take          | `QUOTA#<bucket>`                | `TAKE#<takeKey>`    | one take's answer, for its retries; TTL |
 * | pool                | `POOL#<pool>`                   | `STATE`             | holders map, leases, versioned     |
 * | pool waiter         | `POOL#<pool>`                   | `WAIT#<rank>#<arrival>#<holder>` | parked task token, ordered  |
 * | budget period       | `BUDGET#<scope>`                | `PERIOD#<period>`   | spent, reservations, versioned     |
 * | budget limit        | `BUDGET#<scope>`                | `LIMIT`             | overrides the construct's default  |
 * | budgeted run        | `BUDGETRUN#<executionArn>`      | `RUN`               | scope, period, estimate, actual    |
 * | ephemeral resources | `TEARDOWN#<executionArn>`       | `RESOURCES`         | ACTIVE -> TEARING_DOWN -> DONE     |
 * | demo side effect    | `EFFECT#<scope>`                | `<step>`            | counts how often an effect ran     |
 *
 * Every item that is not permanent state carries `expiresAt` (epoch seconds, DynamoDB TTL). TTL
 * deletion is lazy, so readers must treat `expiresAt < now` as absent themselves.
 */
export const ATTR = { pk: 'pk', sk: 'sk', expiresAt: 'expiresAt' } as const;

export const PREFIX = {
  run: 'RUN#', checkpoint: 'CHECKPOINT#', execution: 'EXECUTION#', circuit: 'CIRCUIT#', stepCheckpoint: 'CKPT#', step: 'STEP#',
  saga: 'SAGA#', sagaAction: 'ACTION#', sagaCompensation: 'COMPENSATION#', bulkhead: 'BULKHEAD#', partition: 'PARTITION#', effect: 'EFFECT#',
  quota: 'QUOTA#', shard: 'SHARD#', usage: 'USAGE#', take: 'TAKE#', pool: 'POOL#', waiter: 'WAIT#', budget: 'BUDGET#', budgetRun: 'BUDGETRUN#', period: 'PERIOD#', teardown: 'TEARDOWN#',
} as const;
export const SK = { claim: 'CLAIM', status: 'STATUS', circuit: 'STATE', sagaHeader: 'HEADER', pool: 'STATE', budgetLimit: 'LIMIT', resources: 'RESOURCES', run: 'RUN' } as const;

export interface ItemKey { readonly pk: string; readonly sk: string }

export const keys = {
  runClaim: (runId: string): ItemKey => ({ pk: PREFIX.run + runId, sk: SK.claim }),
  checkpoint: (runId: string, step: string): ItemKey => ({ pk: PREFIX.run + runId, sk: PREFIX.checkpoint + step }),
  execution: (executionArn: string): ItemKey => ({ pk: PREFIX.execution + executionArn, sk: SK.status }),
  circuit: (dependency: string): ItemKey => ({ pk: PREFIX.circuit + dependency, sk: SK.circuit }),
  stepCheckpoint: (workflow: string, runId: string, step: string): ItemKey => ({ pk: `${PREFIX.stepCheckpoint}${workflow}#${runId}`, sk: PREFIX.step + step }),
  sagaHeader: (saga: string, sagaId: string): ItemKey => ({ pk: `${PREFIX.saga}${saga}#${sagaId}`, sk: SK.sagaHeader }),
  sagaAction: (saga: string, sagaId: string, step: string): ItemKey => ({ pk: `${PREFIX.saga}${saga}#${sagaId}`, sk: PREFIX.sagaAction + step }),
  sagaCompensation: (saga: string, sagaId: string, step: string): ItemKey => ({ pk: `${PREFIX.saga}${saga}#${sagaId}`, sk: PREFIX.sagaCompensation + step }),
  bulkheadPartition: (bulkhead: string, partition: string): ItemKey => ({ pk: PREFIX.bulkhead + bulkhead, sk: PREFIX.partition + partition }),
  effect: (scope: string, step: string): ItemKey => ({ pk: PREFIX.effect + scope, sk: step }),
  bucketShard: (bucket: string, shard: number): ItemKey => ({ pk: PREFIX.quota + bucket, sk: PREFIX.shard + shard }),
  quotaUsage: (bucket: string, workflow: string): ItemKey => ({ pk: PREFIX.quota + bucket, sk: PREFIX.usage + workflow }),
  bucketTake: (bucket: string, takeKey: string): ItemKey => ({ pk: PREFIX.quota + bucket, sk: PREFIX.take + takeKey }),
  pool: (pool: string): ItemKey => ({ pk: PREFIX.pool + pool, sk: SK.pool }),
  /**
   * A parked waiter. The sort key orders the queue: higher priority first (rank = 999 - priority),
   * then earlier arrival (the execution's start time), then the holder id as a tie-break.
   */
  poolWaiter: (pool: string, priority: number, arrivalMs: number, holder: string): ItemKey =>
    ({ pk: PREFIX.pool + pool, sk: `${PREFIX.waiter}${String(999 - priority).padStart(3, '0')}#${String(arrivalMs).padStart(15, '0')}#${holder}` }),
  budgetPeriod: (scope: string, period: string): ItemKey => ({ pk: PREFIX.budget + scope, sk: PREFIX.period + period }),
  budgetLimit: (scope: string): ItemKey => ({ pk: PREFIX.budget + scope, sk: SK.budgetLimit }),
  budgetRun: (executionArn: string): ItemKey => ({ pk: PREFIX.budgetRun + executionArn, sk: SK.run }),
  teardown: (executionArn: string): ItemKey => ({ pk: PREFIX.teardown + executionArn, sk: SK.resources }),
};

/** Names a user may give a circuit, a saga, a bulkhead, a partition, a bucket, a pool or a budget: they become key parts. */
export const KEY_PART_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
