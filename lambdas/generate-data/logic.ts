import { asNumber, asObject, asString } from '../shared/parse';
import { ValidationError } from '../shared/errors';

export const DATASETS = ['sales', 'inventory', 'customers'] as const;
export type DatasetName = (typeof DATASETS)[number];

export interface DatasetSummary {
  readonly dataset: DatasetName;
  readonly records: number;
  readonly mean: number;
  readonly stddev: number;
  readonly min: number;
  readonly max: number;
  readonly checksum: number;
}

/** mulberry32: small deterministic PRNG so a re-run produces the same data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function parseGenerateInput(event: unknown): { dataset: DatasetName; records: number; seed: number } {
  const e = asObject(event, 'input');
  const dataset = asString(e.dataset, 'dataset');
  if (!(DATASETS as readonly string[]).includes(dataset)) throw new ValidationError(`dataset must be one of ${DATASETS.join(', ')}`);
  return { dataset: dataset as DatasetName, records: asNumber(e.records, 'records'), seed: asNumber(e.seed, 'seed') };
}

export function generateDataset(dataset: DatasetName, records: number, seed: number): DatasetSummary {
  const next = prng(seed + DATASETS.indexOf(dataset) * 7919);
  const scale = { sales: 250, inventory: 80, customers: 40 }[dataset];
  let sum = 0, sumSq = 0, min = Infinity, max = -Infinity, checksum = 0;
  for (let i = 0; i < records; i++) {
    const v = Math.round(next() * scale * 100) / 100;
    sum += v; sumSq += v * v;
    if (v < min) min = v;
    if (v > max) max = v;
    checksum = (checksum * 31 + Math.round(v * 100)) % 1_000_000_007;
  }
  const mean = sum / records;
  return { dataset, records, mean: round(mean), stddev: round(Math.sqrt(Math.max(0, sumSq / records - mean * mean))), min, max, checksum };
}

const round = (n: number) => Math.round(n * 1000) / 1000;
