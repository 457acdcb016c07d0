import { InvalidInput } from '../shared/errors';
import { idempotencyIssues, IdempotencyInput } from '../shared/idempotent-effect';
import { ensurePayloadFits } from '../shared/payload';

export const REPORT_STEPS = ['extract', 'transform', 'load', 'publish'] as const;
export type ReportStep = (typeof REPORT_STEPS)[number];
export const MAX_ROWS = 100_000;

export interface ReportStepInput extends IdempotencyInput { readonly runId: string; readonly step: ReportStep; readonly rows: number }

export function parseReportStep(event: unknown): ReportStepInput {
  const e = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  const issues: string[] = [];
  if (typeof e.runId !== 'string' || !e.runId) issues.push('runId must be a non-empty string');
  if (!(REPORT_STEPS as readonly unknown[]).includes(e.step)) issues.push(`step must be one of ${REPORT_STEPS.join(', ')}`);
  const rows = e.rows ?? 10;
  if (typeof rows !== 'number' || !Number.isInteger(rows) || rows < 1 || rows > MAX_ROWS) issues.push(`rows must be an integer from 1 to ${MAX_ROWS}`);
  issues.push(...idempotencyIssues(e));
  if (issues.length) throw new InvalidInput(`Invalid report step: ${issues.join('; ')}`, issues);
  return {
    runId: e.runId as string, step: e.step as ReportStep, rows: rows as number, idempotencyKey: e.idempotencyKey as string,
    ...(e.idempotencyExpiresAt !== undefined ? { idempotencyExpiresAt: e.idempotencyExpiresAt as number } : {}),
  };
}

/** One step of the nightly report. `transform` returns the rendered lines, so its size grows with rows. */
export function runReportStep(input: ReportStepInput) {
  const output = input.step === 'transform'
    ? { step: input.step, lines: Array.from({ length: input.rows }, (_, i) => `${input.runId},row-${String(i).padStart(6, '0')},${(i * 7919) % 10007},ok`) }
    : { step: input.step, rows: input.rows };
  return ensurePayloadFits(input.step, output);
}
