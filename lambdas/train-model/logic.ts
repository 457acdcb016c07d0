import { ValidationError } from '../shared/errors';
import { asNumber, asObject, asString } from '../shared/parse';

export const ALGORITHMS = ['forecast', 'classifier'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

export interface TrainedModel {
  readonly algorithm: Algorithm;
  readonly score: number;
  readonly trainedOnRecords: number;
}

/** A stand-in for training: a deterministic score from the analysis, so results are checkable. */
export function train(event: unknown): TrainedModel {
  const e = asObject(event, 'input');
  const algorithm = asString(e.algorithm, 'algorithm');
  if (!(ALGORITHMS as readonly string[]).includes(algorithm)) throw new ValidationError(`algorithm must be one of ${ALGORITHMS.join(', ')}`);
  const analysis = asObject(e.analysis, 'analysis');
  const signal = asNumber(analysis.signal, 'analysis.signal');
  const records = asNumber(analysis.totalRecords, 'analysis.totalRecords');
  const base = algorithm === 'forecast' ? 0.62 : 0.55;
  const score = Math.min(0.99, base + (1 - Math.min(1, signal)) * 0.3 + Math.log10(1 + records) * 0.01);
  return { algorithm: algorithm as Algorithm, score: Math.round(score * 1000) / 1000, trainedOnRecords: records };
}
