/**
 * One loopback HTTP endpoint speaking the AWS JSON protocols, routed by X-Amz-Target: Step
 * Functions (AWSStepFunctions.*), EventBridge (AWSEvents.*) and DynamoDB (DynamoDB_20120810.*,
 * proxied to dynalite). The SDK clients and `aws --endpoint-url` work against it unchanged.
 */
import * as http from 'http';
import { AddressInfo } from 'net';
import { LocalBus } from './bus';
import { Engine, Execution } from './engine';
import { ApiError } from './errors';
import { InvalidEventPatternError, matchesPattern, validatePattern } from './event-pattern';
import { LocalStore } from './store';

const secs = (ms?: number) => (ms === undefined ? undefined : ms / 1000);

function describe(e: Execution) {
  return {
    executionArn: e.executionArn, stateMachineArn: e.stateMachineArn, name: e.name, status: e.status,
    startDate: secs(e.startDate), stopDate: secs(e.stopDate), input: e.input, inputDetails: { included: true },
    ...(e.output !== undefined ? { output: e.output, outputDetails: { included: true } } : {}),
    ...(e.error !== undefined ? { error: e.error } : {}), ...(e.cause !== undefined ? { cause: e.cause } : {}),
    ...(e.parentArn ? { parentExecutionArn: e.parentArn } : {}),
  };
}

function page<T>(items: T[], body: Record<string, unknown>, max = 1000) {
  const size = Math.min(Number(body.maxResults ?? body.Limit ?? max) || max, max);
  const start = body.nextToken ? Number(Buffer.from(String(body.nextToken), 'base64').toString()) : 0;
  const slice = items.slice(start, start + size);
  const next = start + size < items.length ? Buffer.from(String(start + size)).toString('base64') : undefined;
  return { slice, next };
}

export function stepFunctionsApi(engine: Engine, op: string, b: Record<string, any>): unknown {
  const exec = (arn: string) => {
    const e = engine.executions.get(arn);
    if (!e) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return e;
  };
  switch (op) {
    case 'StartExecution': {
      const e = engine.startExecution({ stateMachineArn: b.stateMachineArn, name: b.name, input: b.input });
      return { executionArn: e.executionArn, startDate: secs(e.startDate) };
    }
    case 'DescribeExecution': return describe(exec(b.executionArn));
    case 'StopExecution': return { stopDate: secs(engine.stopExecution(b.executionArn, b.error, b.cause)) };
    case 'ListExecutions': {
      if (!engine.machines.has(b.stateMachineArn)) throw new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${b.stateMachineArn}'`);
      const all = [...engine.executions.values()].filter((e) => e.stateMachineArn === b.stateMachineArn && (!b.statusFilter || e.status === b.statusFilter)).reverse();
      const { slice, next } = page(all, b);
      return { executions: slice.map((e) => ({ executionArn: e.executionArn, stateMachineArn: e.stateMachineArn, name: e.name, status: e.status, startDate: secs(e.startDate), stopDate: secs(e.stopDate) })), nextToken: next };
    }
    case 'GetExecutionHistory': {
      const events = exec(b.executionArn).history.map((ev) => ({ ...ev, timestamp: secs(ev.timestamp) }));
      if (b.reverseOrder) events.reverse();
      const { slice, next } = page(events, b);
      return { events: slice, nextToken: next };
    }
    case 'ListStateMachines':
      return { stateMachines: [...engine.machines.values()].map((m) => ({ stateMachineArn: m.def.arn, name: m.def.name, type: 'STANDARD', creationDate: 0 })) };
    case 'DescribeStateMachine': {
      const m = engine.machines.get(b.stateMachineArn);
      if (!m) throw new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${b.stateMachineArn}'`);
      return { stateMachineArn: m.def.arn, name: m.def.name, status: 'ACTIVE', definition: JSON.stringify(m.def.definition), roleArn: m.def.roleArn, type: 'STANDARD', creationDate: 0 };
    }
    case 'SendTaskSuccess': engine.sendTaskSuccess(b.taskToken, b.output); return {};
    case 'SendTaskFailure': engine.sendTaskFailure(b.taskToken, b.error, b.cause); return {};
    case 'SendTaskHeartbeat': engine.sendTaskHeartbeat(b.taskToken); return {};
    default: throw new ApiError('UnknownOperationException', `local runtime does not serve Step Functions ${op}`);
  }
}

export function eventsApi(bus: LocalBus, op: string, b: Record<string, any>): unknown {
  switch (op) {
    case 'PutEvents': {
      if (!Array.isArray(b.Entries) || b.Entries.length === 0 || b.Entries.length > 10) throw new ApiError('ValidationException', 'Entries must hold 1 to 10 entries');
      return bus.putEvents(b.Entries);
    }
    case 'TestEventPattern': {
      let pattern: unknown; let event: Record<string, unknown>;
      try { pattern = JSON.parse(b.EventPattern); } catch { throw new ApiError('InvalidEventPatternException', 'Event pattern is not valid JSON'); }
      try { event = JSON.parse(b.Event); } catch { throw new ApiError('ValidationException', 'Parameter Event is not valid JSON'); }
      for (const field of ['id', 'account', 'source', 'time', 'region', 'detail-type']) {
        if (!(field in event)) throw new ApiError('ValidationException', `Parameter Event is not valid. Reason: Provided Event must have mandatory field ${field}`);
      }
      try { validatePattern(pattern); } catch (err) {
        if (err instanceof InvalidEventPatternError) throw new ApiError('InvalidEventPatternException', err.message);
        throw err;
      }
      return { Result: matchesPattern(pattern as Record<string, unknown>, event) };
    }
    case 'ListEventBuses': return { EventBuses: [...bus.buses.values()].map((x) => ({ Name: x.name, Arn: x.arn })) };
    default: throw new ApiError('UnknownOperationException', `local runtime does not serve EventBridge ${op}`);
  }
}

export class Endpoint {
  private server?: http.Server;
  url = '';

  constructor(private readonly engine: Engine, private readonly bus: LocalBus, private readonly store: LocalStore) {}

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = http.createServer((req, res) => { void this.handle(req, res); });
    this.server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => { this.server!.once('error', reject); this.server!.listen(port, host, resolve); });
    this.url = `http://${host}:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections?.();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    // DynamoDB requests go to dynalite's own handler untouched (it reads the body itself).
    if (String(req.headers['x-amz-target'] ?? '').startsWith('DynamoDB_20120810.')) return this.store.handle(req, res);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const target = String(req.headers['x-amz-target'] ?? '');
    const [service, op] = target.split('.');
    const contentType = service === 'AWSEvents' ? 'application/x-amz-json-1.1' : 'application/x-amz-json-1.0';
    try {
      const body = raw.length ? JSON.parse(raw.toString('utf8')) : {};
      let out: unknown;
      if (service === 'AWSStepFunctions') out = stepFunctionsApi(this.engine, op, body);
      else if (service === 'AWSEvents') out = eventsApi(this.bus, op, body);
      else throw new ApiError('UnknownOperationException', `local runtime does not serve ${target || 'this request (no X-Amz-Target)'}`);
      res.writeHead(200, { 'content-type': contentType, 'x-amzn-requestid': cryptoId() });
      res.end(JSON.stringify(out));
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(err instanceof SyntaxError ? 'SerializationException' : 'InternalFailure', (err as Error).message, err instanceof SyntaxError ? 400 : 500);
      res.writeHead(e.status, { 'content-type': contentType, 'x-amzn-errortype': e.code, 'x-amzn-requestid': cryptoId() });
      res.end(JSON.stringify({ __type: e.code, message: e.message }));
    }
  }
}

let counter = 0;
function cryptoId() { return `local-${Date.now().toString(36)}-${(counter++).toString(36)}`; }
