/**
 * Bulkhead slots: each partition has `limit` slots; a holder is recorded with a lease expiry so a
 * holder that died without releasing is reclaimed once its lease has passed. Pure: the store is a port.
 */
import { BulkheadFull, ConcurrencyConflict, ValidationError } from '../shared/errors';
import { asNumber, asObject, asString } from '../shared/parse';

export interface Partition { readonly holders: Readonly<Record<string, number>>; readonly version: number }
export interface AcquireRequest { readonly bulkhead: string; readonly partition: string; readonly limit: number; readonly holder: string; readonly leaseSeconds: number }

export function parseAcquire(event: unknown): AcquireRequest {
  const e = asObject(event, 'input');
  const limit = asNumber(e.limit, 'limit');
  const leaseSeconds = asNumber(e.leaseSeconds, 'leaseSeconds');
  if (!Number.isInteger(limit) || limit < 1) throw new ValidationError('limit must be a positive integer');
  if (!Number.isInteger(leaseSeconds) || leaseSeconds < 1) throw new ValidationError('leaseSeconds must be a positive integer');
  return { bulkhead: asString(e.bulkhead, 'bulkhead'), partition: asString(e.partition, 'partition'), limit, holder: asString(e.holder, 'holder'), leaseSeconds };
}

/** The partition after `holder` takes a slot, or BulkheadFull. Expired leases are dropped first. */
export function acquire(current: Partition | undefined, req: AcquireRequest, nowMs: number): Partition {
  const live = Object.fromEntries(Object.entries(current?.holders ?? {}).filter(([, until]) => until > nowMs));
  if (!(req.holder in live) && Object.keys(live).length >= req.limit) throw new BulkheadFull(req.partition, req.limit);
  return { holders: { ...live, [req.holder]: nowMs + req.leaseSeconds * 1000 }, version: (current?.version ?? 0) + 1 };
}

export interface PartitionStore {
  get(bulkhead: string, partition: string): Promise<Partition | undefined>;
  /** Conditional on the version read (0: no item). False when another writer won. */
  put(bulkhead: string, partition: string, next: Partition, expectedVersion: number): Promise<boolean>;
}

export async function acquireSlot(req: AcquireRequest, store: PartitionStore, now: () => number) {
  for (let attempt = 0; attempt < 8; attempt++) {
    const current = await store.get(req.bulkhead, req.partition);
    const next = acquire(current, req, now());
    if (await store.put(req.bulkhead, req.partition, next, current?.version ?? 0)) {
      return { partition: req.partition, holders: Object.keys(next.holders).length, leaseUntil: new Date(next.holders[req.holder]).toISOString() };
    }
  }
  throw new ConcurrencyConflict(`bulkhead ${req.bulkhead}/${req.partition}: lost 8 conditional writes in a row`);
}
