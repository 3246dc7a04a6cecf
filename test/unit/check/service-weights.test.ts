import { describe, expect, it } from 'vitest';
import type { HealthEvent } from '../../../src/check/health.js';
import type { Prober, ProbeResult } from '../../../src/check/probe.js';
import type { KeepalivedConfig } from '../../../src/config/model.js';
import { CheckerService } from '../../../src/daemon/checker-service.js';
import { onHealthBatch, startLvs } from '../../../src/lvs/lvs-state.js';
import { effectiveWeight, realWeight } from '../../../src/lvs/server-health.js';
import { config, fakes } from './fakes.js';

/** Two virtual servers share a real server (weight 3) checked by the same MISC_CHECK with misc_dynamic. */
const miscServer = (vip: string): string => `
virtual_server ${vip} 80 {
  delay_loop 10
  protocol TCP
  real_server 10.0.0.2 80 {
    weight 3
    MISC_CHECK {
      misc_path "/bin/check.sh 10.0.0.2"
      misc_dynamic
    }
  }
}
`;
const MISC = miscServer('192.168.1.1') + miscServer('192.168.1.2');

const FILE = `
track_file f {
  file /run/weight
  weight 2
}
virtual_server 192.168.1.1 80 {
  delay_loop 10
  protocol TCP
  real_server 10.0.0.2 80 {
    weight 3
    FILE_CHECK {
      track_file f
    }
  }
}
`;

const checkerEvents = (recorded: { event: unknown }[]): HealthEvent[] => recorded.map((e) => e.event as HealthEvent).filter((e) => e.type === 'checker');

/** The weight the LVS core would program for each virtual server's first real server after these events. */
function lvsWeights(cfg: KeepalivedConfig, events: readonly HealthEvent[]): number[] {
  const { state } = onHealthBatch(startLvs(cfg).state, events);
  return cfg.virtual_servers.map((vs, i) => {
    const health = [...state.vs.values()][i]!.health[0]!;
    return health.every((c) => c.up) ? realWeight(effectiveWeight(vs.real_servers[0]!, health)) : -1;
  });
}

/** A service started on the text with a fake prober of this type. */
async function started(type: 'MISC_CHECK' | 'FILE_CHECK', text: string) {
  const f = fakes([type]);
  const cfg = config(text);
  const service = new CheckerService(f.ports);
  await service.start(cfg, f.context);
  const events = (): HealthEvent[] => checkerEvents(f.events);
  /** Probes answer this until `until`; returns the events that came meanwhile as [up, weight]. */
  const answering = async (answer: Partial<ProbeResult> & { ok: boolean }, until: number): Promise<[boolean, number | undefined][]> => {
    f.prober.answer = () => answer;
    const before = events().length;
    await f.clock.advance(until);
    return events()
      .slice(before)
      .map((e) => [e.up, e.weight]);
  };
  return { f, cfg, service, events, answering };
}

describe('CheckerService forwards misc_dynamic and FILE_CHECK weights', () => {
  it("misc_dynamic: the first result's weight reaches the LVS core although the checker was already up; a new weight is sent without a change of state", async () => {
    const { cfg, service, events, answering } = await started('MISC_CHECK', MISC);
    await answering({ ok: true, reason: 'succeeded', weight: 10 }, 1000);
    expect(events()).toEqual([
      { type: 'checker', ref: { vs: 'TCP:[192.168.1.1]:80', rs: '[10.0.0.2]:80', checker: 0 }, up: true, weight: 10, reason: 'succeeded' },
      { type: 'checker', ref: { vs: 'TCP:[192.168.1.2]:80', rs: '[10.0.0.2]:80', checker: 0 }, up: true, weight: 10, reason: 'succeeded' },
    ]);
    expect(lvsWeights(cfg, events())).toEqual([10, 10]);
    // the same weight again says nothing; another is sent at once
    expect(await answering({ ok: true, reason: 'succeeded', weight: 10 }, 11_000)).toEqual([]);
    expect(await answering({ ok: true, reason: 'succeeded', weight: 0 }, 21_000)).toEqual([
      [true, 0],
      [true, 0],
    ]);
    expect(lvsWeights(cfg, events())).toEqual([0, 0]);
    // exit 0: back to the configured weight
    await answering({ ok: true, reason: 'succeeded' }, 31_000);
    expect(lvsWeights(cfg, events())).toEqual([3, 3]);
    await service.stop();
  });

  it('misc_dynamic: down drops the weight; coming back up sends the new weight with the up event, once', async () => {
    const { cfg, service, events, answering } = await started('MISC_CHECK', MISC);
    await answering({ ok: true, reason: 'succeeded', weight: 7 }, 1000);
    expect(await answering({ ok: false, reason: 'failed (exited with status 1)' }, 11_000)).toEqual([
      [false, undefined],
      [false, undefined],
    ]);
    expect(await answering({ ok: true, reason: 'succeeded', weight: 7 }, 21_000)).toEqual([
      [true, 7],
      [true, 7],
    ]);
    expect(lvsWeights(cfg, events())).toEqual([7, 7]);
    await service.stop();
  });

  it("FILE_CHECK: the delta is added to the real server's configured weight", async () => {
    const { f, cfg, service, events } = await started('FILE_CHECK', FILE);
    f.prober.answer = () => ({ ok: true, reason: 'tracked file /run/weight value 2', weightDelta: 4 });
    await f.clock.advance(1000);
    expect(events()).toEqual([{ type: 'checker', ref: { vs: 'TCP:[192.168.1.1]:80', rs: '[10.0.0.2]:80', checker: 0 }, up: true, weight: 7, reason: 'tracked file /run/weight value 2' }]);
    expect(lvsWeights(cfg, events())).toEqual([7]);
    f.prober.answer = () => ({ ok: true, reason: 'tracked file /run/weight value -1', weightDelta: -2 });
    await f.clock.advance(11_000);
    expect(lvsWeights(cfg, events())).toEqual([1]);
    await service.stop();
  });

  it('makes the configuration-bound probers at start and again at each reload', async () => {
    const f = fakes([]);
    const seen: string[] = [];
    const prober: Prober = { probe: async () => ({ ok: true, reason: 'succeeded', latencyMs: 0 }) };
    const service = new CheckerService({
      ...f.ports,
      configProbers: (c) => {
        seen.push(c.virtual_servers.map((vs) => ('ip' in vs ? vs.ip : '')).join(','));
        return { MISC_CHECK: prober };
      },
    });
    await service.start(config(MISC), f.context);
    expect(service.status()).toMatchObject({ probeGroups: 1, unsupported: {} });
    await service.reconfigure(config(MISC.replace('192.168.1.2', '192.168.1.3')));
    expect(seen).toEqual(['192.168.1.1,192.168.1.2', '192.168.1.1,192.168.1.3']);
    await service.stop();
  });

  it('writes a line naming the virtual server once for each virtual server the shared check serves', async () => {
    const { f, service } = await started('MISC_CHECK', MISC);
    f.prober.answer = () => ({ ok: false, reason: 'failed (exited with status 1)' });
    await f.clock.advance(1000);
    expect(f.logs.filter((l) => l.msg.startsWith('Misc check')).map((l) => l.msg)).toEqual([
      'Misc check for [[10.0.0.2]:tcp:80 VS [192.168.1.1]:tcp:80] by [/bin/check.sh] failed with retry disabled (exited with status 1).',
      'Misc check for [[10.0.0.2]:tcp:80 VS [192.168.1.2]:tcp:80] by [/bin/check.sh] failed with retry disabled (exited with status 1).',
    ]);
    await service.stop();
  });
});
