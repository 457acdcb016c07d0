/**
 * EventBridge PutEvents (`arn:aws:states:::events:putEvents`), onto the runtime's buses.
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-eventbridge.html
 */
import { StatesError } from '../interpreter/errors';
import { Integration } from './registry';

export interface EventPublisher {
  putEvents(entries: Record<string, unknown>[]): { FailedEntryCount: number; Entries: unknown[] };
}

export function eventsIntegration(bus: () => EventPublisher): Integration {
  return {
    name: 'events',
    serves: (base) => base === 'arn:aws:states:::events:putEvents',
    // A rule whose target is another bus (cross-bus routing).
    takes: (arn) => arn.startsWith('arn:aws:events:'),
    async deliver(arn, input) {
      const out = bus().putEvents([{ ...(input as object), EventBusName: arn }]);
      if (out.FailedEntryCount) throw new Error(String((out.Entries[0] as { ErrorMessage?: string }).ErrorMessage));
    },
    async invoke(request) {
      const params = (request.parameters ?? {}) as Record<string, unknown>;
      const entries = ((params.Entries ?? []) as Record<string, unknown>[]).map((e) => ({ ...e, Detail: typeof e.Detail === 'string' ? e.Detail : JSON.stringify(e.Detail) }));
      const out = bus().putEvents(entries);
      if (out.FailedEntryCount > 0) throw new StatesError('EventBridge.FailedEntry', JSON.stringify(out));
      return out;
    },
  };
}
