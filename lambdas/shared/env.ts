/** Environment variable names shared by the CDK code and the handlers. */
export const ENV = {
  STATE_TABLE: 'STATE_TABLE',
  RUN_TTL_SECONDS: 'RUN_TTL_SECONDS',
} as const;

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing environment variable ${name}`);
  return value;
}
