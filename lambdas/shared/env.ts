/** Environment variable names shared by the CDK code and the handlers. */
export const ENV = {
  STATE_TABLE: 'STATE_TABLE',
  RUN_TTL_SECONDS: 'RUN_TTL_SECONDS',
  POOL_NAME: 'POOL_NAME',
  POOL_SLOTS: 'POOL_SLOTS',
  POOL_LEASE_SECONDS: 'POOL_LEASE_SECONDS',
  POOL_DRAIN_SECONDS: 'POOL_DRAIN_SECONDS',
  POOL_DRAIN_MACHINE: 'POOL_DRAIN_MACHINE',
  BUDGET_CONFIG: 'BUDGET_CONFIG',
  BUS_NAME: 'BUS_NAME',
} as const;

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing environment variable ${name}`);
  return value;
}
