import type { Logger } from 'pino';
import { netlinkErrno } from '../linux/netlink-error.js';
import { describeRule, type InterfaceAddress, type Route, type Rule } from '../net/kernel-objects.js';
import type { RtnlPort } from './ports.js';

/** How one kind of kernel object is put in place and taken away, and how the kernel says it already is, or already is not. */
interface Kind<T> {
  put(item: T): Promise<void>;
  take(item: T): Promise<void>;
  /** Names the object in logs; equal names are the same object. */
  describe(item: T): string;
  readonly presentErrno: string;
  readonly absentErrno: string;
}

/**
 * What each instance put into the kernel (VIPs, routes, rules), so that leaving MASTER or
 * stopping removes exactly those, as keepalived does. An object that is already there when a
 * Master adds it (left by a crashed run of ours) counts as ours.
 */
export class InstanceHoldings<T> {
  private readonly held = new Map<string, T[]>();

  constructor(
    private readonly kind: Kind<T>,
    private readonly log: Logger,
  ) {}

  async add(instance: string, items: readonly T[]): Promise<void> {
    for (const item of items) {
      if (!(await this.put(instance, item))) this.log.warn({ instance, held: this.kind.describe(item) }, `${this.kind.describe(item)} was already present: taken over`);
    }
  }

  /** Adds whichever of `items` went missing; quiet about those still present. */
  async ensure(instance: string, items: readonly T[]): Promise<void> {
    for (const item of items) {
      if (await this.put(instance, item)) this.log.info({ instance, held: this.kind.describe(item) }, `${this.kind.describe(item)} was missing: added again`);
    }
  }

  /** What the instance added and still holds. */
  of(instance: string): readonly T[] {
    return this.held.get(instance) ?? [];
  }

  async remove(instance: string): Promise<void> {
    await this.removeWhere(instance, () => true);
  }

  /** Takes away the instance's objects that `unwanted` picks; the others stay untouched. */
  async removeWhere(instance: string, unwanted: (item: T) => boolean): Promise<void> {
    const mine = this.held.get(instance) ?? [];
    const kept = mine.filter((item) => !unwanted(item));
    if (kept.length > 0) this.held.set(instance, kept);
    else this.held.delete(instance);
    for (const item of mine.filter(unwanted)) {
      try {
        await this.kind.take(item);
      } catch (error) {
        // someone removed it already: the goal is reached
        if (netlinkErrno(error) !== this.kind.absentErrno) throw error;
      }
    }
  }

  /** A reload's new set: objects no longer wanted go, new ones come, the others are not touched. */
  async replace(instance: string, items: readonly T[]): Promise<void> {
    const wanted = new Set(items.map((item) => this.kind.describe(item)));
    await this.removeWhere(instance, (item) => !wanted.has(this.kind.describe(item)));
    const held = new Set(this.of(instance).map((item) => this.kind.describe(item)));
    await this.add(
      instance,
      items.filter((item) => !held.has(this.kind.describe(item))),
    );
  }

  /** A reload gave the instance another name: what it holds stays in the kernel and moves to that name. */
  rename(from: string, to: string): void {
    const mine = this.held.get(from);
    this.held.delete(from);
    if (mine !== undefined) this.held.set(to, mine);
  }

  /** True when the object was added now, false when it was already there. */
  private async put(instance: string, item: T): Promise<boolean> {
    const mine = this.held.get(instance) ?? [];
    const name = this.kind.describe(item);
    if (!mine.some((m) => this.kind.describe(m) === name)) this.held.set(instance, [...mine, item]);
    try {
      await this.kind.put(item);
      return true;
    } catch (error) {
      if (netlinkErrno(error) !== this.kind.presentErrno) throw error;
      return false;
    }
  }
}

export function vipHoldings(rtnl: RtnlPort, log: Logger): InstanceHoldings<InterfaceAddress> {
  return new InstanceHoldings<InterfaceAddress>(
    {
      put: (a) => rtnl.addAddress(a),
      take: (a) => rtnl.deleteAddress(a),
      describe: (a) => `VIP ${a.address} on ifindex ${a.ifindex}`,
      presentErrno: 'EEXIST',
      absentErrno: 'EADDRNOTAVAIL',
    },
    log,
  );
}

export function routeHoldings(rtnl: RtnlPort, log: Logger): InstanceHoldings<Route> {
  return new InstanceHoldings<Route>(
    {
      put: (r) => rtnl.addRoute(r),
      take: (r) => rtnl.deleteRoute(r),
      describe: (r) =>
        `route ${r.destination}/${r.prefix}${r.gateway !== undefined ? ` via ${r.gateway}` : ''}${r.ifindex !== undefined ? ` ifindex ${r.ifindex}` : ''}${r.metric !== undefined ? ` metric ${r.metric}` : ''} table ${r.table ?? 'main'}`,
      presentErrno: 'EEXIST',
      absentErrno: 'ESRCH',
    },
    log,
  );
}

export function ruleHoldings(rtnl: RtnlPort, log: Logger): InstanceHoldings<Rule> {
  return new InstanceHoldings<Rule>({ put: (r) => rtnl.addRule(r), take: (r) => rtnl.deleteRule(r), describe: (r) => `rule ${describeRule(r)}`, presentErrno: 'EEXIST', absentErrno: 'ENOENT' }, log);
}
