import { budgetStatus, poolStatus, quotaStatus } from '../../bin/orch';
import { localClientConfig, LocalRuntime } from '../../local/runtime';

// The observability commands read the state table through the endpoint, as they would on AWS.
describe('orch pool / quota / budget', () => {
  let rt: LocalRuntime;
  beforeAll(async () => { rt = await LocalRuntime.start({ synth: 'never' }); }, 60_000);
  afterAll(async () => { await rt?.stop(); });
  const exec = async (workflow: string, request: unknown) => {
    const e = rt.startExecution(workflow, { request });
    await e.done;
    return e;
  };

  test('orch pool shows the holders and the queue length', async () => {
    const hold = rt.faults.inject({ target: { function: 'TrainingJobs/TrainerFn' }, latencyMs: 3_600_000 });
    const running = [1, 2, 3, 4].map((i) => rt.startExecution('training-jobs', { request: { jobId: `cli-${i}`, priority: i } }));
    const lines: string[] = [];
    let status = { holders: 0, queued: 0 };
    for (let i = 0; i < 200 && !(status.holders === 3 && status.queued === 1); i++) {
      await new Promise((r) => setTimeout(r, 10));
      lines.length = 0;
      status = await poolStatus('gpu', localClientConfig(rt.endpointUrl), 'Orchestration', (s) => lines.push(s));
    }
    expect(status).toEqual({ holders: 3, queued: 1 });
    expect(lines[0]).toBe('pool gpu: 3 holder(s), 1 waiting\n');
    expect(lines.filter((l) => l.includes('waits'))).toHaveLength(1);
    hold.remove();
    for (const e of running) rt.stopExecution(e.executionArn);
  });

  test('orch quota shows the use per workflow; orch budget sets a limit and shows the period', async () => {
    expect((await exec('partner-lookup', { customerId: 'cli' })).status).toBe('SUCCEEDED');
    const usage = await quotaStatus('partner-api', localClientConfig(rt.endpointUrl), 'Orchestration', () => undefined);
    expect(usage['Orchestration-partner-lookup']).toBeGreaterThanOrEqual(1);
    const out: string[] = [];
    await budgetStatus('cli-team', localClientConfig(rt.endpointUrl), { setLimit: 0.5 }, (s) => out.push(s));
    expect((await exec('experiment', { team: 'cli-team', experimentId: 'e', estimatedCostUsd: 0.4 })).status).toBe('SUCCEEDED');
    const r = await budgetStatus('cli-team', localClientConfig(rt.endpointUrl), {}, (s) => out.push(s));
    expect(r).toMatchObject({ limit: 0.5, periods: 1 });
    expect(out.join('')).toMatch(/limit of cli-team set to 0.5 USD/);
    await expect(budgetStatus('cli-team', localClientConfig(rt.endpointUrl), { setLimit: -1 })).rejects.toThrow(/--set-limit/);
  });
});
