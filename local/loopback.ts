/**
 * A Lambda's SDK calls to the runtime's own endpoint, handed to the endpoint's handler in memory
 * (no socket, no HTTP parsing on either side). Bundles load the AWS SDK from node_modules (CDK
 * leaves `@aws-sdk/*` out of them), so it is Node's `http.request` that is wrapped, once; it takes
 * the in-memory path only inside a function invocation of a runtime (an AsyncLocalStorage context)
 * and only for that runtime's endpoint. Every other request, the tests' own SDK clients included,
 * goes over real HTTP. The SDK's NodeHttpHandler uses `request(options, callback)`, writes the body
 * with `end()`, and reads the response as a stream, which is all this provides.
 */
import { AsyncLocalStorage } from 'async_hooks';
import { EventEmitter } from 'events';
import * as http from 'http';
// The module object itself (not the import's read-only namespace), whose `request` the SDK reads.
import nodeHttp from 'http';
import { Readable } from 'stream';

export type RequestHandler = (req: http.IncomingMessage, res: http.ServerResponse) => unknown;

export interface LoopbackTarget {
  readonly host: string;
  readonly port: string;
  readonly handle: RequestHandler;
}

const lower = (headers: Record<string, unknown> = {}) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : String(v)]));

/** What the endpoint writes: status, headers and body, handed back as an IncomingMessage-like stream. */
class LoopbackResponse extends EventEmitter {
  statusCode = 200;
  statusMessage = 'OK';
  headersSent = false;
  private readonly headers: Record<string, string> = {};
  private readonly chunks: Buffer[] = [];
  constructor(private readonly done: (status: number, message: string, headers: Record<string, string>, body: Buffer) => void) { super(); }
  setHeader(name: string, value: unknown) { this.headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value); return this; }
  getHeader(name: string) { return this.headers[name.toLowerCase()]; }
  removeHeader(name: string) { delete this.headers[name.toLowerCase()]; }
  writeHead(status: number, a?: unknown, b?: unknown) {
    this.statusCode = status;
    const headers = typeof a === 'string' ? b : a;
    if (typeof a === 'string') this.statusMessage = a;
    for (const [k, v] of Object.entries(lower(headers as Record<string, unknown>))) this.headers[k] = v;
    this.headersSent = true;
    return this;
  }
  write(chunk: unknown) { if (chunk !== undefined) this.chunks.push(Buffer.from(chunk as string)); return true; }
  end(chunk?: unknown) {
    this.write(chunk);
    this.headersSent = true;
    this.done(this.statusCode, this.statusMessage, this.headers, Buffer.concat(this.chunks));
    this.emit('finish');
    return this;
  }
}

/** What the SDK holds as its ClientRequest. */
class LoopbackRequest extends EventEmitter {
  destroyed = false;
  private readonly chunks: Buffer[] = [];
  constructor(private readonly options: http.RequestOptions, private readonly target: LoopbackTarget, callback?: (res: http.IncomingMessage) => void) {
    super();
    if (callback) this.once('response', callback);
  }
  setTimeout() { return this; }
  setNoDelay() { return this; }
  setSocketKeepAlive() { return this; }
  write(chunk: unknown) { if (chunk !== undefined && chunk !== null) this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array)); return true; }
  end(chunk?: unknown) {
    this.write(chunk);
    setImmediate(() => this.dispatch());
    return this;
  }
  destroy(err?: Error) {
    if (this.destroyed) return this;
    this.destroyed = true;
    if (err) this.emit('error', err);
    this.emit('close');
    return this;
  }
  abort() { this.destroy(); }

  private dispatch() {
    if (this.destroyed) return;
    const req = Object.assign(Readable.from(this.chunks.length ? [Buffer.concat(this.chunks)] : []), {
      method: this.options.method ?? 'GET', url: this.options.path ?? '/', headers: lower(this.options.headers as Record<string, unknown>),
      httpVersion: '1.1', socket: { remoteAddress: '127.0.0.1' },
    });
    const res = new LoopbackResponse((statusCode, statusMessage, headers, body) => {
      if (this.destroyed) return;
      const incoming = Object.assign(Readable.from(body.length ? [body] : []), { statusCode, statusMessage, headers, httpVersion: '1.1' });
      this.emit('response', incoming);
      incoming.once('end', () => this.emit('close'));
    });
    try {
      void Promise.resolve(this.target.handle(req as unknown as http.IncomingMessage, res as unknown as http.ServerResponse)).catch((err) => this.destroy(err as Error));
    } catch (err) {
      this.destroy(err as Error);
    }
  }
}

const context = new AsyncLocalStorage<() => LoopbackTarget | undefined>();

/** Runs `fn` (a function invocation) so that its SDK calls to `target()` stay in memory. */
export function withLoopback<T>(target: () => LoopbackTarget | undefined, fn: () => T): T {
  return context.run(target, fn);
}

// Installed when the runtime is loaded: the SDK reads `http.request` once, at its first request.
install();

function install() {
  if ((nodeHttp.request as { orchLoopback?: boolean }).orchLoopback) return;
  const original = nodeHttp.request;
  const request = (...args: unknown[]) => {
    const t = context.getStore()?.();
    const [first, second, third] = args;
    if (t && typeof first === 'object' && first !== null && !(first instanceof URL)) {
      const options = first as http.RequestOptions;
      const host = options.hostname ?? options.host;
      if (host === t.host && String(options.port) === t.port) {
        return new LoopbackRequest(options, t, (typeof second === 'function' ? second : third) as ((res: http.IncomingMessage) => void) | undefined) as unknown as http.ClientRequest;
      }
    }
    return (original as (...a: unknown[]) => http.ClientRequest)(...args);
  };
  (nodeHttp as { request: unknown }).request = Object.assign(request, { orchLoopback: true });
}
