/**
 * An execution's history as GetExecutionHistory returns it: events numbered from 1, each with the
 * `previousEventId` of the event that caused it, and the `*EventDetails` key AWS uses for its type.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html
 */
export interface HistoryEvent {
  /** Milliseconds since the epoch (the API layer converts to seconds). */
  timestamp: number;
  type: string;
  id: number;
  previousEventId: number;
  [details: string]: unknown;
}
