import { beforeAll, describe, expect, it } from 'vitest';
import { checkerOf, connection } from '../support/checkers.js';
import { useCheckerLab, LB_ADDRESS, RS_ADDRESS } from './support/checker-lab.js';

const DEADLINE_MS = 1000;
/** An address of the server reachable only through routing table 142, which only marked packets use. */
const MARKED_ONLY = '10.77.9.2';
const MARK = 0x42;
const SECOND_LB = '10.77.0.11';

const smtp = (ip: string, over = {}) => checkerOf('SMTP_CHECK', { ...connection(ip, 25, over) });
/** TCP_CHECK (and HTTP_GET/SSL_GET, which open their connection the same way, connect.ts) to the SMTP port. */
const tcp = (ip: string, over = {}) => checkerOf('TCP_CHECK', { ...connection(ip, 25, over) });
const udp = (ip: string, over = {}) => checkerOf('UDP_CHECK', { ...connection(ip, 7777, over), require_reply: true });

describe('checker socket options: fwmark, bindto, bind_port, bind_if', () => {
  const lab = useCheckerLab('ckso');
  beforeAll(() => {
    lab().ip(lab().rs, 'addr', 'add', `${MARKED_ONLY}/32`, 'dev', 'eth0');
    lab().ip(lab().lb, 'route', 'add', '10.77.9.0/24', 'dev', 'eth0', 'table', '142');
    lab().ip(lab().lb, 'rule', 'add', 'fwmark', String(MARK), 'table', '142');
    lab().ip(lab().lb, 'addr', 'add', `${SECOND_LB}/24`, 'dev', 'eth0');
    // a device that exists but is down (no dummy module here): one end of a veth pair never set up
    lab().ip(lab().lb, 'link', 'add', 'down0', 'type', 'veth', 'peer', 'name', 'down1');
  });

  it('fwmark sets SO_MARK: only marked sockets reach an address routed by `ip rule fwmark`', async () => {
    expect(await lab().probe(smtp(MARKED_ONLY), DEADLINE_MS)).toMatchObject({ ok: false, reason: `Error connecting to server [${MARKED_ONLY}]:25` });
    expect(await lab().probe(smtp(MARKED_ONLY, { fwmark: MARK }), DEADLINE_MS)).toMatchObject({ ok: true });
    expect(await lab().probe(tcp(MARKED_ONLY), DEADLINE_MS)).toMatchObject({ ok: false, reason: 'failed', detail: 'ENETUNREACH' });
    expect(await lab().probe(tcp(MARKED_ONLY, { fwmark: MARK }), DEADLINE_MS)).toMatchObject({ ok: true });
    expect(await lab().probe(udp(MARKED_ONLY), DEADLINE_MS)).toMatchObject({ ok: false, reason: 'socket error ENETUNREACH' });
    // the echo server answers from the address routing picks, which must be the one we connected to
    lab().ip(lab().rs, 'route', 'add', `${LB_ADDRESS}/32`, 'dev', 'eth0', 'src', MARKED_ONLY);
    try {
      expect(await lab().probe(udp(MARKED_ONLY, { fwmark: MARK }), DEADLINE_MS)).toMatchObject({ ok: true });
    } finally {
      lab().ip(lab().rs, 'route', 'del', `${LB_ADDRESS}/32`);
    }
    await lab().heard();
  });

  it('bindto and bind_port choose the source the server sees', async () => {
    await lab().sources();
    expect((await lab().probe(udp(RS_ADDRESS, { bindto: SECOND_LB, bind_port: 40999 }), DEADLINE_MS)).ok).toBe(true);
    expect((await lab().probe(smtp(RS_ADDRESS, { bindto: SECOND_LB, bind_port: 40998 }), DEADLINE_MS)).ok).toBe(true);
    expect((await lab().probe(smtp(RS_ADDRESS, { bindto: SECOND_LB }), DEADLINE_MS)).ok).toBe(true);
    const [viaUdp, viaTcp, viaTcpAnyPort] = await lab().sources();
    expect([viaUdp, viaTcp]).toEqual([`${SECOND_LB}:40999`, `${SECOND_LB}:40998`]);
    expect(viaTcpAnyPort).toMatch(new RegExp(`^${SECOND_LB.replaceAll('.', '\\.')}:\\d+$`));
    await lab().heard();
  });

  it('a vanished bindto address is a failure, not a reschedule, and recovers when it returns', async () => {
    lab().ip(lab().lb, 'addr', 'del', `${SECOND_LB}/24`, 'dev', 'eth0');
    try {
      expect(await lab().probe(smtp(RS_ADDRESS, { bindto: SECOND_LB }), DEADLINE_MS)).toMatchObject({
        ok: false,
        reason: 'Checker bind failed: Cannot assign requested address',
      });
      expect((await lab().probe(udp(RS_ADDRESS, { bindto: SECOND_LB }), DEADLINE_MS)).ok).toBe(false);
    } finally {
      lab().ip(lab().lb, 'addr', 'add', `${SECOND_LB}/24`, 'dev', 'eth0');
    }
    expect((await lab().probe(smtp(RS_ADDRESS, { bindto: SECOND_LB }), DEADLINE_MS)).ok).toBe(true);
    await lab().heard();
  });

  it('bind_if binds to the device: eth0 works, a down or missing device fails', async () => {
    expect((await lab().probe(smtp(RS_ADDRESS, { bind_if: 'eth0' }), DEADLINE_MS)).ok).toBe(true);
    expect(await lab().probe(smtp(RS_ADDRESS, { bind_if: 'down0' }), DEADLINE_MS)).toMatchObject({ ok: false });
    expect(await lab().probe(smtp(RS_ADDRESS, { bind_if: 'nosuch0' }), DEADLINE_MS)).toMatchObject({ ok: false, reason: "Checker can't bind to device nosuch0: No such device" });
    expect((await lab().probe(tcp(RS_ADDRESS, { bind_if: 'eth0', bindto: LB_ADDRESS }), DEADLINE_MS)).ok).toBe(true);
    expect((await lab().probe(tcp(RS_ADDRESS, { bind_if: 'down0' }), DEADLINE_MS)).ok).toBe(false);
    expect(await lab().probe(tcp(RS_ADDRESS, { bind_if: 'nosuch0' }), DEADLINE_MS)).toMatchObject({ ok: false, reason: 'failed', detail: "Checker can't bind to device nosuch0: No such device" });
    const ping = checkerOf('PING_CHECK', { ...connection(RS_ADDRESS, 0, { bind_if: 'down0' }) });
    expect((await lab().probe(ping, DEADLINE_MS)).ok).toBe(false);
    await lab().heard();
  });
});
