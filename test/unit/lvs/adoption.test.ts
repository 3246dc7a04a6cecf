/**
 * A restart adopts the table whatever spelling the kernel dumps it in. The vm test's counter
 * read 0 after a client connected; the suspect was a start-up or repair pass that re-created the
 * service because the dump's address forms differed from the config's. These cases rule that
 * out: a first daemon programs every virtual_server form (IPv6 addresses written zero-padded
 * and in capitals) into a kernel that answers dumps as ip_vs_ctl.c does (the attributes
 * round-tripped through the genl codec, the HASHED flag set), is stopped with -I, and a second
 * daemon on the same kernel writes nothing at start nor at its read-back. (The counter is the kernel's: on 6.1 ip_vs_est.c's
 * estimation_timer folds the per-cpu counters into what a dump reports only every 2 s.)
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { LvsService } from '../../../src/daemon/lvs-service.js';
import type { ServiceContext } from '../../../src/daemon/service.js';
import { IPVS_CMD_ATTR, IP_VS_SVC_F, decodeDestination, decodeService, destinationAttributes, serviceAttributes } from '../../../src/ipvs/genl.js';
import { MemoryIpvsClient } from '../../../src/ipvs/memory-client.js';
import { Attributes, nested } from '../../../src/ipvs/nlattr.js';
import type { Destination, Service, ServiceKey } from '../../../src/ipvs/types.js';
import { configFrom } from './helpers.js';

/** An attribute nest as a dump hands it back. */
function viaWire(type: number, attributes: Uint8Array[]): Attributes {
  const inner = new Attributes(nested(type, attributes)).nested(type);
  if (inner === undefined) throw new Error('nest lost');
  return inner;
}

/** Dumps as the kernel answers them: through the codec, with the kernel's HASHED bit. */
class KernelLikeClient extends MemoryIpvsClient {
  override async services(): Promise<Service[]> {
    return (await super.services()).map((service) => {
      const decoded = decodeService(viaWire(IPVS_CMD_ATTR.SERVICE, serviceAttributes(service)));
      return { ...decoded, flags: decoded.flags | IP_VS_SVC_F.HASHED };
    });
  }

  override async destinations(key: ServiceKey): Promise<Destination[]> {
    return (await super.destinations(key)).map((d) => decodeDestination(viaWire(IPVS_CMD_ATTR.DEST, destinationAttributes(d)), key.family));
  }
}

const FORMS = `
virtual_server_group grp {
  10.78.5.1-3 80
  fwmark 12
}
virtual_server_group grp6 {
  fd00:78::5-7 80
}
virtual_server group grp {
  protocol TCP
  lvs_sched wrr
  lvs_method DR
  real_server 10.78.1.2 80 { weight 3 }
}
virtual_server group grp6 {
  protocol TCP
  lvs_method DR
  real_server fd00:78::2 80 { weight 3 }
}
virtual_server 10.78.5.10 443 {
  protocol TCP
  lvs_sched mh
  mh-port
  lvs_method NAT
  persistence_timeout 300
  persistence_granularity 255.255.0.0
  real_server 10.78.1.3 443 { weight 5 uthreshold 50 lthreshold 5 }
  real_server 10.78.2.3 443 { weight 0 }
}
virtual_server 10.78.5.11 123 {
  protocol UDP
  lvs_method TUN
  ops
  real_server 10.78.1.3 123 { weight 2 }
}
virtual_server fwmark 7 {
  lvs_method DR
  sorry_server fd00:78::3 80
  sorry_server_inhibit
  real_server fd00:78::2 80 { }
}
virtual_server 10.78.5.12 80 {
  protocol TCP
  lvs_method NAT
  sorry_server 10.78.3.2 8080
  real_server 10.78.1.2 8080 { weight 0 }
}
virtual_server FD00:0078:0000::0010 80 {
  protocol SCTP
  lvs_method NAT
  persistence_timeout 30
  persistence_granularity 64
  real_server fd00:78:0::02 8080 { weight 4 }
}
virtual_server 10.78.9.9 80 {
  protocol TCP
  lvs_method NAT
  real_server 10.78.1.2 8080 { }
}
virtual_server 10.78.5.13 5060 {
  protocol UDP
  lvs_method NAT
  persistence_timeout 60
  persistence_engine sip
  real_server 10.78.1.2 5060 { }
}
`;

function context(): ServiceContext {
  return {
    log: pino({ level: 'silent' }),
    publish: () => undefined,
    snapshot: () => ({ pid: 1, version: 'test', configFile: '', loadedAtUnix: 0, lastReload: null, services: {} }),
  };
}

function daemon(ipvs: MemoryIpvsClient, dontReleaseIpvs: boolean) {
  const ticks: (() => void)[] = [];
  const service = new LvsService({ openIpvs: async () => ipvs, every: (_ms, tick) => (ticks.push(tick), () => ticks.splice(0)) }, { dontReleaseIpvs });
  return { service, ticks };
}

describe('a restart adopts the table as the kernel dumps it', () => {
  it('writes nothing at start and nothing at the read-back, for every form and address spelling', async () => {
    const ipvs = new KernelLikeClient();
    const first = daemon(ipvs, true);
    await first.service.start(configFrom(FORMS), context());
    const programmed = await ipvs.services();
    // the group: three IPv4, three IPv6, one fwmark; then seven more
    expect(programmed.length).toBe(3 + 3 + 1 + 7);
    expect(first.service.status().errors).toBe(0);
    await first.service.stop();

    const writes = ipvs.writes;
    const second = daemon(ipvs, false);
    await second.service.start(configFrom(FORMS), context());
    expect(ipvs.writes).toBe(writes);
    for (const tick of second.ticks) tick();
    await second.service.readBack();
    await second.service.settled();
    expect(ipvs.writes).toBe(writes);
    expect(second.service.status()).toMatchObject({ repairs: 0, errors: 0 });
  });
});
