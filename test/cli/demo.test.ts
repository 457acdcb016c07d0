import { demo } from '../../bin/orch';

// `npm start` is `orch demo`: it must keep ending with every outcome as expected (exit code 0).
test('the demo (npm start) reaches every expected outcome', async () => {
  const out: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => { out.push(String(chunk)); return true; }) as typeof process.stdout.write;
  let code: number;
  try { code = await demo(); } finally { process.stdout.write = write; }
  const text = out.join('');
  expect(text).toContain('Every outcome is the expected one.');
  expect(text).not.toContain('FAIL ');
  expect(text).toMatch(/pipeline\s+demo-\d+\s+SUCCEEDED\s+duplicate ignored/);
  expect(code).toBe(0);
});
