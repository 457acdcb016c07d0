import { ValidationError } from '../shared/errors';
import { asArray, asNumber, asObject, asString } from '../shared/parse';

export interface Analysis {
  readonly totalRecords: number;
  readonly features: Record<string, { mean: number; stddev: number; range: number }>;
  /** Coefficient of variation across datasets: a simple "signal" figure the trainers use. */
  readonly signal: number;
}

export function analyze(datasetsInput: unknown): Analysis {
  const datasets = asArray(datasetsInput, 'datasets');
  if (datasets.length === 0) throw new ValidationError('datasets must not be empty');
  const features: Analysis['features'] = {};
  let totalRecords = 0;
  let cvSum = 0;
  for (const [i, d] of datasets.entries()) {
    const o = asObject(d, `datasets[${i}]`);
    const name = asString(o.dataset, `datasets[${i}].dataset`);
    const mean = asNumber(o.mean, `datasets[${i}].mean`);
    const stddev = asNumber(o.stddev, `datasets[${i}].stddev`);
    if (features[name]) throw new ValidationError(`dataset ${name} appears twice`);
    features[name] = { mean, stddev, range: asNumber(o.max, `datasets[${i}].max`) - asNumber(o.min, `datasets[${i}].min`) };
    totalRecords += asNumber(o.records, `datasets[${i}].records`);
    cvSum += mean === 0 ? 0 : stddev / mean;
  }
  return { totalRecords, features, signal: Math.round((cvSum / datasets.length) * 1000) / 1000 };
}
