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
 * | demo side effect    | `EFFECT#<scope>`                | `<step>`            | counts how often an effect ran     |
 *
 * Every item that is not permanent state carries `expiresAt` (epoch seconds, DynamoDB TTL). TTL
 * deletion is lazy, so readers must treat `expiresAt < now` as absent themselves.
 */
export const ATTR = { pk: 'pk', sk: 'sk', expiresAt: 'expiresAt' } as const;

export const PREFIX = {
  run: 'RUN#', checkpoint: 'CHECKPOINT#', execution: 'EXECUTION#', circuit: 'CIRCUIT#', stepCheckpoint: 'CKPT#', step: 'STEP#',
  saga: 'SAGA#', sagaAction: 'ACTION#', sagaCompensation: 'COMPENSATION#', bulkhead: 'BULKHEAD#', partition: 'PARTITION#', effect: 'EFFECT#',
} as const;
export const SK = { claim: 'CLAIM', status: 'STATUS', circuit: 'STATE', sagaHeader: 'HEADER' } as const;

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
};

/** Names a user may give a circuit, a saga, a bulkhead or a partition: they become key parts. */
export const KEY_PART_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
