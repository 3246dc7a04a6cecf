/**
 * quorum_up / quorum_down through LvsService: the core asks (scenarios/14-quorum-scripts.json
 * proves when), the service runs them through its `scripts` port, made with the configuration's
 * global_defs (script security) at start and again at reload; a reload that removes a virtual
 * server with quorum runs its quorum_down; at stop the omega virtual
 * servers' quorum_down runs with keepalived's 1 s limit and stop waits for it; -I runs nothing.
 */
import { describe, expect, it, vi } from 'vitest';
import type { GlobalDefs } from '../../../src/config/model.js';
import { STOP_SCRIPT_TIMEOUT_MS, type LvsOptions } from '../../../src/daemon/lvs-service.js';
import { configFrom } from './helpers.js';
import { down, harness } from './service-harness.js';

const config = (extra = '') => `
global_defs { script_user nobody }
virtual_server 10.0.0.1 80 {
  protocol TCP
  lvs_sched rr
  lvs_method NAT
  quorum 2
  hysteresis 1
  quorum_up "/bin/echo up 10.0.0.1"
  quorum_down /bin/down
  ${extra}
  real_server 192.168.1.10 80 { TCP_CHECK { } }
  real_server 192.168.1.11 80 { TCP_CHECK { } }
  real_server 192.168.1.12 80 { TCP_CHECK { } }
}
virtual_server 10.0.0.2 80 {
  protocol TCP
  lvs_sched rr
  lvs_method NAT
  real_server 192.168.1.20 80 { TCP_CHECK { } }
}
`;

function scripted(options: LvsOptions = {}) {
  const runs: { script: string; timeoutMs: number | undefined }[] = [];
  const made: GlobalDefs[] = [];
  const pending: (() => void)[] = [];
  const h = harness(options, undefined, (global) => {
    made.push(global);
    return (script, timeoutMs) => {
      runs.push({ script, timeoutMs });
      return new Promise<void>((resolve) => pending.push(resolve));
    };
  });
  /** Ends every script started so far. */
  const finish = (): void => pending.splice(0).forEach((resolve) => resolve());
  return { ...h, runs, made, finish };
}

describe('quorum scripts in LvsService', () => {
  it('runs quorum_up at start and on regaining quorum, quorum_down on losing it, nothing while the hysteresis holds', async () => {
    const h = scripted();
    await h.service.start(configFrom(config()), h.context);
    expect(h.made.map((g) => g.script_user?.user)).toEqual(['nobody']);
    expect(h.runs).toEqual([{ script: '/bin/echo up 10.0.0.1', timeoutMs: undefined }]);
    h.service.receive(down('[192.168.1.10]:80'));
    h.service.receive(down('[192.168.1.11]:80'));
    await h.service.settled();
    expect(h.runs).toHaveLength(1); // 1 live ≥ 2 − 1: quorum kept
    h.service.receive(down('[192.168.1.12]:80'));
    await h.service.settled();
    expect(h.runs.map((r) => r.script)).toEqual(['/bin/echo up 10.0.0.1', '/bin/down']);
    h.service.receive(down('[192.168.1.10]:80', true));
    h.service.receive(down('[192.168.1.11]:80', true));
    await h.service.settled();
    expect(h.runs).toHaveLength(2); // 2 live < 2 + 1: not regained
    h.service.receive(down('[192.168.1.12]:80', true));
    await h.service.settled();
    expect(h.runs.map((r) => r.script)).toEqual(['/bin/echo up 10.0.0.1', '/bin/down', '/bin/echo up 10.0.0.1']);
  });

  it('makes the runner again for a reloaded global_defs and runs what the reload changes', async () => {
    const h = scripted();
    await h.service.start(configFrom(config()), h.context);
    await h.service.reconfigure(configFrom(config().replace('script_user nobody', 'script_user daemon').replace('quorum 2', 'quorum 4')));
    expect(h.made.map((g) => g.script_user?.user)).toEqual(['nobody', 'daemon']);
    // quorum 4 is reduced to the total weight 3, hysteresis 1: 3 live is not below 3 − 1
    expect(h.runs).toHaveLength(1);
    h.service.receive(down('[192.168.1.10]:80'));
    h.service.receive(down('[192.168.1.11]:80'));
    await h.service.settled();
    expect(h.runs.map((r) => r.script)).toEqual(['/bin/echo up 10.0.0.1', '/bin/down']);
  });

  it('runs the quorum_down of a virtual server a reload removes while it has quorum, and nothing for one without quorum', async () => {
    const h = scripted();
    await h.service.start(configFrom(config()), h.context);
    const second = config().indexOf('virtual_server 10.0.0.2');
    await h.service.reconfigure(configFrom(config().slice(second)));
    expect(h.runs.map((r) => r.script)).toEqual(['/bin/echo up 10.0.0.1', '/bin/down']);
    const lost = scripted();
    await lost.service.start(configFrom(config()), lost.context);
    for (const rs of ['10', '11', '12']) lost.service.receive(down(`[192.168.1.${rs}]:80`));
    await lost.service.settled();
    await lost.service.reconfigure(configFrom(config().slice(second)));
    expect(lost.runs.map((r) => r.script)).toEqual(['/bin/echo up 10.0.0.1', '/bin/down']);
  });

  it("at stop runs the omega virtual servers' quorum_down with a 1 s limit and waits for it", async () => {
    const h = scripted();
    await h.service.start(configFrom(config('omega')), h.context);
    h.finish();
    let stopped = false;
    const stopping = h.service.stop().then(() => (stopped = true));
    await vi.waitFor(() => expect(h.runs).toHaveLength(2));
    expect(h.runs.slice(1)).toEqual([{ script: '/bin/down', timeoutMs: STOP_SCRIPT_TIMEOUT_MS }]);
    expect(stopped).toBe(false);
    h.finish();
    await stopping;
    expect(await h.table()).toEqual([]);
  });

  it('runs nothing at stop without omega, or with -I', async () => {
    for (const [extra, options] of [
      ['', {}],
      ['omega', { dontReleaseIpvs: true }],
    ] as const) {
      const h = scripted(options);
      await h.service.start(configFrom(config(extra)), h.context);
      h.finish();
      await h.service.stop();
      expect(h.runs).toHaveLength(1);
    }
  });
});
