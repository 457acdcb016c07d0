/**
 * A stand-in for an ephemeral resource (a cluster, a scratch database) created per run: `create`
 * opens it, `destroy` closes it. Both are idempotent by workspace id; the counters they keep are what
 * the teardown scenarios check (destroyed exactly once). Pure: the store is a port.
 */
import { ValidationError } from '../shared/errors';
import { asObject, asString } from '../shared/parse';

export interface WorkspaceStore {
  /** Opens the workspace (status OPEN, `created` + 1). */
  open(workspaceId: string, owner: string): Promise<void>;
  /** Closes it (status DESTROYED, `destroyed` + 1, `lastReason`). */
  close(workspaceId: string, reason: string): Promise<void>;
}

const ID = /^[A-Za-z0-9_.:-]{1,100}$/;

export async function createWorkspace(event: unknown, store: WorkspaceStore) {
  const e = asObject(event, 'input');
  const runId = asString(e.runId, 'runId');
  if (!ID.test(runId)) throw new ValidationError('runId must be 1-100 characters of A-Z a-z 0-9 _ . : -');
  const workspaceId = `ws-${runId}`;
  await store.open(workspaceId, asString(e.owner, 'owner'));
  return { resources: { workspaceId } };
}

export async function destroyWorkspace(event: unknown, store: WorkspaceStore) {
  const e = asObject(event, 'input');
  const resources = asObject(e.resources, 'resources');
  const workspaceId = asString(resources.workspaceId, 'resources.workspaceId');
  const reason = asString(e.reason, 'reason');
  await store.close(workspaceId, reason);
  return { workspaceId, destroyed: true, reason };
}
