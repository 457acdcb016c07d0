/**
 * What Step Functions adds to an optimized integration's answer, as AWS records it: the HTTP
 * metadata of the service call (`SdkHttpMetadata`, `SdkResponseMetadata`) on results, and errors
 * worded the way the AWS SDK for Java words them.
 */
import { randomUUID } from 'crypto';
import { crc32 } from 'zlib';

/** `SdkHttpMetadata` and `SdkResponseMetadata` for a response with these headers. */
export function sdkMetadata(headers: Record<string, string>, requestId: string, status = 200) {
  return {
    SdkHttpMetadata: { AllHttpHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])), HttpHeaders: headers, HttpStatusCode: status },
    SdkResponseMetadata: { RequestId: requestId },
  };
}

/** DynamoDB's response headers for a JSON body. */
export function dynamodbHeaders(body: unknown, requestId: string): Record<string, string> {
  const text = JSON.stringify(body ?? {});
  return {
    Server: 'Server', Date: new Date().toUTCString(), 'Content-Type': 'application/x-amz-json-1.0', 'Content-Length': String(Buffer.byteLength(text)),
    Connection: 'keep-alive', 'x-amzn-RequestId': requestId, 'x-amz-crc32': String(crc32(text)),
  };
}

/** Step Functions' response headers (lower-case `connection`, as recorded). */
export function stepFunctionsHeaders(body: unknown, requestId: string): Record<string, string> {
  return {
    'x-amzn-RequestId': requestId, connection: 'keep-alive', 'Content-Length': String(Buffer.byteLength(JSON.stringify(body ?? {}))),
    Date: new Date().toUTCString(), 'Content-Type': 'application/x-amz-json-1.0',
  };
}

/** "<message> (Service: X; Status Code: 400; Error Code: Y; Request ID: Z; Proxy: null)". */
export function sdkCause(message: string, service: string, code: string, status = 400): string {
  return `${message} (Service: ${service}; Status Code: ${status}; Error Code: ${code}; Request ID: ${randomUUID()}; Proxy: null)`;
}
