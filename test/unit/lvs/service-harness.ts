/**
 * LvsService over the in-memory kernel, for the service's tests: a kernel that counts dumps,
 * a table programmed by hand, a checker result, and the service with its log lines collected.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { HealthEvent } from '../../../src/check/health.js';
import { readTable } from '../../../src/ipvs/apply.js';
import { MemoryIpvsClient } from '../../../src/ipvs/memory-client.js';
import type { DumpOptions, IpvsClient, Table } from '../../../src/ipvs/types.js';
import { LvsService, type LvsOptions, type LvsPorts } from '../../../src/daemon/lvs-service.js';
import type { ServiceContext } from '../../../src/daemon/service.js';
import { tableLines } from './helpers.js';

/** The virtual server the service tests run: two NAT servers with a TCP_CHECK each, and its full table. */
export const TWO_SERVERS = `
virtual_server 10.0.0.1 80 {
  protocol TCP
  lvs_sched rr
  lvs_method NAT
  real_server 192.168.1.10 80 { TCP_CHECK { } }
  real_server 192.168.1.11 80 { TCP_CHECK { } }
}
`;
export const FULL = ['TCP 10.0.0.1:80 rr', '  -> 192.168.1.10:80 Masq 1', '  -> 192.168.1.11:80 Masq 1'];

export function down(rs: string, up = false): HealthEvent {
  return { type: 'checker', ref: { vs: 'TCP:[10.0.0.1]:80', rs, checker: 0 }, up, reason: 'test' };
}

/** A kernel that counts dumps, so a test can tell an incremental pass from a read-back. */
export class CountingClient extends MemoryIpvsClient {
  dumps = 0;
  override async services(options?: DumpOptions) {
    this.dumps++;
    return super.services(options);
  }
}

export async function program(ipvs: IpvsClient, table: Table): Promise<void> {
  for (const { service, destinations } of table.services) {
    await ipvs.addService(service);
    for (const d of destinations) await ipvs.addDestination(service.key, d);
  }
}

export function harness(options: LvsOptions = {}, ipvs: CountingClient = new CountingClient(), scripts?: LvsPorts['scripts']) {
  const lines: { msg: string; level: number }[] = [];
  /** the records as written, where a repeated key would still show */
  const raw: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        lines.push(JSON.parse(line) as { msg: string; level: number });
        raw.push(line);
      }
      done();
    },
  });
  const ticks: (() => void)[] = [];
  const service = new LvsService({ openIpvs: async () => ipvs, every: (_ms, tick) => (ticks.push(tick), () => ticks.splice(0)), ...(scripts === undefined ? {} : { scripts }) }, options);
  const context: ServiceContext = {
    // as the supervisor hands it over
    log: pino({ level: 'debug' }, sink).child({ service: 'lvs' }),
    publish: () => undefined,
    snapshot: () => ({ pid: 1, version: 'test', configFile: '', loadedAtUnix: 0, lastReload: null, services: {} }),
  };
  return { service, ipvs, lines, raw, ticks, context, table: async () => tableLines(await readTable(ipvs)) };
}
