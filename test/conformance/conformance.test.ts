/**
 * The conformance suite: every case in ./cases, run on the interpreter, compared with what AWS
 * gives (each case cites its source). Organised by feature, one describe per cases file.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CaseResult, ConformanceCase } from './case';
import { runCase } from './harness';

const dir = path.join(__dirname, 'cases');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).sort();

for (const file of files) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { cases } = require(path.join(dir, file)) as { cases: ConformanceCase[] };
  describe(path.basename(file, '.ts'), () => {
    for (const c of cases) {
      test(c.name, async () => {
        const r = await runCase(c);
        const x = c.expect;
        if (x.definitionError) {
          expect(r.definitionError?.name).toBe(x.definitionError.name);
          if (x.definitionError.message) expect(r.definitionError?.message).toMatch(x.definitionError.message);
          return;
        }
        if (r.definitionError) throw r.definitionError;
        verify(x, r.first ?? r);
        if (c.redrive) verify(c.redrive.expect, r);
      });
    }
  });
}

function verify(x: ConformanceCase['expect'], r: CaseResult) {
  if (x.status) expect({ status: r.status, error: r.error, cause: r.cause }).toMatchObject({ status: x.status });
  if ('output' in x) expect(r.output).toEqual(x.output);
  if ('error' in x) expect(r.error).toEqual(x.error);
  if (x.cause !== undefined) {
    if (typeof x.cause === 'string') expect(r.cause).toBe(x.cause);
    else expect(r.cause).toMatch(x.cause);
  }
  if (x.entered) expect(r.history.filter((e) => e.type.endsWith('StateEntered')).map((e) => (e.stateEnteredEventDetails as { name: string }).name)).toEqual(x.entered);
  if (x.events) expect(r.history.map((e) => e.type)).toEqual(x.events);
  x.check?.(r);
}
