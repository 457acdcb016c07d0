/**
 * Key design of the single state table, shared by the CDK code (ASL expressions) and the handlers.
 *
 * | entity            | pk                      | sk                    | notes                              |
 * |-------------------|-------------------------|-----------------------|------------------------------------|
 * | run claim (dedup) | `RUN#<runId>`           | `CLAIM`               | conditional put; expiresAt = TTL   |
 * | checkpoint        | `RUN#<runId>`           | `CHECKPOINT#<step>`   | one per task result                |
 * | execution ledger  | `EXECUTION#<arn>`       | `STATUS`              | from Execution Status Change       |
 *
 * Every item carries `expiresAt` (epoch seconds, DynamoDB TTL). TTL deletion is lazy, so readers
 * must treat `expiresAt < now` as absent themselves.
 */
export const ATTR = { pk: 'pk', sk: 'sk', expiresAt: 'expiresAt' } as const;

export const PREFIX = { run: 'RUN#', checkpoint: 'CHECKPOINT#', execution: 'EXECUTION#' } as const;
export const SK = { claim: 'CLAIM', status: 'STATUS' } as const;

export interface ItemKey { readonly pk: string; readonly sk: string }

export const keys = {
  runClaim: (runId: string): ItemKey => ({ pk: PREFIX.run + runId, sk: SK.claim }),
  checkpoint: (runId: string, step: string): ItemKey => ({ pk: PREFIX.run + runId, sk: PREFIX.checkpoint + step }),
  execution: (executionArn: string): ItemKey => ({ pk: PREFIX.execution + executionArn, sk: SK.status }),
};
