import { isDeepStrictEqual } from 'node:util';
import type { RtnlPort } from '../../../../src/daemon/ports.js';
import type { InterfaceAddress, LinkState, Route, Rule } from '../../../../src/net/kernel-objects.js';

const rejected = (errno: string) => new Error(`Request rejected: ${errno}`);

/** The kernel's address, route and rule tables in memory, answering EEXIST and EADDRNOTAVAIL as the kernel does. */
export class FakeRtnl implements RtnlPort {
  readonly addressTable: InterfaceAddress[] = [];
  readonly routeTable: Route[] = [];
  readonly ruleTable: Rule[] = [];
  /** Every change, in order: `add 10.0.0.100/24`, `del route ...`. */
  readonly log: string[] = [];
  closed = false;

  constructor(
    readonly linkTable: LinkState[],
    own: InterfaceAddress[] = [],
  ) {
    this.addressTable.push(...own);
  }

  async links(): Promise<LinkState[]> {
    return [...this.linkTable];
  }

  async addresses(): Promise<InterfaceAddress[]> {
    return [...this.addressTable];
  }

  async addAddress(a: InterfaceAddress): Promise<void> {
    if (this.addressTable.some((x) => x.address === a.address && x.ifindex === a.ifindex)) throw rejected('EEXIST');
    this.addressTable.push(a);
    this.log.push(`add ${a.address}/${a.prefix}`);
  }

  async deleteAddress(a: InterfaceAddress): Promise<void> {
    const i = this.addressTable.findIndex((x) => x.address === a.address && x.ifindex === a.ifindex);
    if (i < 0) throw rejected('EADDRNOTAVAIL');
    this.addressTable.splice(i, 1);
    this.log.push(`del ${a.address}/${a.prefix}`);
  }

  async addRoute(r: Route): Promise<void> {
    if (this.routeTable.some((x) => isDeepStrictEqual(x, r))) throw rejected('EEXIST');
    this.routeTable.push(r);
    this.log.push(`add route ${r.destination}/${r.prefix}`);
  }

  async deleteRoute(r: Route): Promise<void> {
    const i = this.routeTable.findIndex((x) => isDeepStrictEqual(x, r));
    if (i < 0) throw rejected('ESRCH');
    this.routeTable.splice(i, 1);
    this.log.push(`del route ${r.destination}/${r.prefix}`);
  }

  async addRule(r: Rule): Promise<void> {
    if (this.ruleTable.some((x) => isDeepStrictEqual(x, r))) throw rejected('EEXIST');
    this.ruleTable.push(r);
    this.log.push('add rule');
  }

  async deleteRule(r: Rule): Promise<void> {
    const i = this.ruleTable.findIndex((x) => isDeepStrictEqual(x, r));
    if (i < 0) throw rejected('ENOENT');
    this.ruleTable.splice(i, 1);
    this.log.push('del rule');
  }

  close(): void {
    this.closed = true;
  }

  has(address: string): boolean {
    return this.addressTable.some((a) => a.address === address);
  }
}
