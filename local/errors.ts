/** A feature the local runtime cannot execute faithfully: it refuses instead of guessing. */
export class UnsupportedFeatureError extends Error {
  constructor(readonly feature: string, readonly where: string, detail?: string) {
    super(`local runtime cannot run ${feature} faithfully (${where})${detail ? `: ${detail}` : ''}`);
    this.name = 'UnsupportedFeatureError';
  }
}

/** An AWS API error as the endpoint returns it (`__type` + message, HTTP 400 unless said). */
export class ApiError extends Error {
  constructor(readonly code: string, message: string, readonly status = 400) {
    super(message);
    this.name = code;
  }
}
