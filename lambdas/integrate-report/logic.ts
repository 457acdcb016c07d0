import { ValidationError } from '../shared/errors';
import { asArray, asNumber, asObject, asString } from '../shared/parse';

export interface Report {
  readonly runId: string;
  readonly totalRecords: number;
  readonly bestModel: string;
  readonly scores: Record<string, number>;
  readonly generatedAt: string;
}

export function integrate(event: unknown, nowMs: number): Report {
  const e = asObject(event, 'input');
  const runId = asString(e.runId, 'runId');
  const analysis = asObject(e.analysis, 'analysis');
  const models = asArray(e.models, 'models');
  if (models.length === 0) throw new ValidationError('models must not be empty');
  const scores: Record<string, number> = {};
  for (const [i, m] of models.entries()) {
    const o = asObject(m, `models[${i}]`);
    scores[asString(o.algorithm, `models[${i}].algorithm`)] = asNumber(o.score, `models[${i}].score`);
  }
  const bestModel = Object.entries(scores).sort((a, b) => b[1] - a[1])[0][0];
  return { runId, totalRecords: asNumber(analysis.totalRecords, 'analysis.totalRecords'), bestModel, scores, generatedAt: new Date(nowMs).toISOString() };
}
