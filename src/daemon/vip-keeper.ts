import type { Logger } from 'pino';
import { netlinkErrno } from '../linux/netlink-error.js';
import type { InterfaceAddress, Rtnl } from '../linux/rtnl.js';

/**
 * The VIPs each instance put on interfaces, so that stopping removes exactly those. An address
 * that is already there when a Master adds it (left by a crashed run of ours) counts as ours.
 */
export class VipKeeper {
  private readonly added = new Map<string, InterfaceAddress[]>();

  constructor(
    private readonly rtnl: Rtnl,
    private readonly log: Logger,
  ) {}

  async add(instance: string, addresses: readonly InterfaceAddress[]): Promise<void> {
    for (const a of addresses) {
      if (!(await this.put(instance, a))) this.log.warn({ instance, vip: a.address }, `VIP ${a.address} was already present: taken over`);
    }
  }

  /** Adds whichever of `addresses` went missing; quiet about those still present. */
  async ensure(instance: string, addresses: readonly InterfaceAddress[]): Promise<void> {
    for (const a of addresses) {
      if (await this.put(instance, a)) this.log.info({ instance, vip: a.address }, `VIP ${a.address} was missing: added again`);
    }
  }

  async remove(instance: string): Promise<void> {
    const mine = this.added.get(instance) ?? [];
    this.added.delete(instance);
    for (const a of mine) {
      try {
        await this.rtnl.deleteAddress(a);
      } catch (error) {
        // someone removed it already: the goal is reached
        if (netlinkErrno(error) !== 'EADDRNOTAVAIL') throw error;
      }
    }
  }

  /** True when the address was added now, false when it was already there. */
  private async put(instance: string, a: InterfaceAddress): Promise<boolean> {
    const mine = this.added.get(instance) ?? [];
    if (!mine.some((m) => m.address === a.address && m.ifindex === a.ifindex)) this.added.set(instance, [...mine, a]);
    try {
      await this.rtnl.addAddress(a);
      return true;
    } catch (error) {
      if (netlinkErrno(error) !== 'EEXIST') throw error;
      return false;
    }
  }
}
