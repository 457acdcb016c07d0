import * as path from 'path';
import { LocalRuntime } from '../local/runtime';
(async () => {
  const rt = await LocalRuntime.start({ projectDir: path.resolve(__dirname, '..'), synth: 'never' });
  if (process.env.NO_STATUS) (rt.engine as any).emitStatusChange = () => undefined;
  let seq = 0;
  const run = async () => { const e = rt.startExecution('pipeline', { request: { runId: `p-${process.pid}-${seq++}`, records: 1 } }); await e.done; };
  for (let i = 0; i < 20; i++) await run();
  const t0 = performance.now(); let next = 0; const total = 500;
  await Promise.all(Array.from({ length: 50 }, async () => { while (next++ < total) await run(); }));
  console.log('c50', Math.round(total / ((performance.now() - t0) / 1000)));
  await rt.stop(); process.exit(0);
})();
