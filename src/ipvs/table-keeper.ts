/**
 * The daemon's view of the kernel table. After a pass that landed whole it remembers the table
 * it applied, and the next `apply` plans against that memory: a weight change costs its writes
 * and no dump. The memory is dropped, so the next pass reads the kernel back, when a write
 * failed, when `fullCheck` is called (a daemon does so on a timer, which repairs damage done
 * behind its back), or when `forget` says the kernel may have changed (a netlink error, IPVS
 * reloaded). Passes run one at a time, in call order.
 *
 * A caller that knows which services a change can touch says so with a scope (service ids, as
 * `serviceId` spells them): the plan then compares only those, so one checker result in a
 * table of 1,000 services × 10 servers plans one service, not 10,000 destinations.
 *
 * Reading back costs a destination dump per service (the kernel has no dump of them all, and
 * no generation number to skip an unchanged table) and a plan over every entry: at 1,000 × 10
 * under emulation that is seconds of CPU. `check` spreads it: every call dumps the service
 * list, and dumps and plans the destinations of one part of the desired services in turn (plus
 * any service that is missing, differs, or changed since the last pass); `parts` calls cover
 * every service. Destinations of services we do not want are never dumped: the plan leaves such
 * a service alone or deletes it whole.
 */
import { applySteps, type ApplyResult } from './apply.js';
import { serviceId } from './keys.js';
import { planReconcile, sameService, type ReconcileOptions, type ReconcileStep } from './reconcile.js';
import type { IpvsClient, ServiceKey, Table } from './types.js';

export interface KeeperPass extends ApplyResult {
  /**
   * `incremental`: planned against the table last applied; `full`: against a fresh dump;
   * `partial`: against a fresh service dump and the destinations of one part (`check`).
   */
  readonly mode: 'incremental' | 'full' | 'partial';
  readonly steps: readonly ReconcileStep[];
}

/** The services of `table` whose id is in `scope`, in table order. */
function within(table: Table, scope: ReadonlySet<string>): Table {
  return { services: table.services.filter(({ service }) => scope.has(serviceId(service.key))) };
}

/**
 * The incremental plan from `lastApplied` to `desired`, comparing only the services in `scope`
 * (every service when there is none). Equal to the whole plan whenever every service outside
 * the scope is the same in both tables: the caller's promise. Everything in memory is ours, so
 * a service dropped from `desired` is deleted.
 */
export function planIncremental(desired: Table, lastApplied: Table, scope?: ReadonlySet<string>): ReconcileStep[] {
  if (scope === undefined) return planReconcile(desired, lastApplied, { flush: true });
  return planReconcile(within(desired, scope), within(lastApplied, scope), { flush: true });
}

export class IpvsTableKeeper {
  private lastApplied: Table | undefined;
  /** Every service a pass asked for: a full pass deletes those no longer desired. */
  private readonly owned = new Map<string, ServiceKey>();
  private queue: Promise<unknown> = Promise.resolve();
  /** The part of the desired services whose destinations the next `check` dumps. */
  private nextPart = 0;

  constructor(
    private readonly client: IpvsClient,
    private readonly options: ReconcileOptions = {},
  ) {}

  /**
   * Brings the kernel to `desired`, from memory when the last pass landed whole. `scope`: the
   * only services that can differ from the table of the pass called before this one (ignored
   * when there is no memory, which makes this a full pass).
   */
  apply(desired: Table, scope?: ReadonlySet<string>): Promise<KeeperPass> {
    return this.serialized(() => {
      const last = this.lastApplied;
      if (last === undefined) return this.fullPass(desired);
      return this.landed('incremental', desired, planIncremental(desired, last, scope), scope);
    });
  }

  /** Reads the kernel back and repairs whatever differs from `desired`. */
  fullCheck(desired: Table, signal?: AbortSignal): Promise<KeeperPass> {
    return this.serialized(() => this.fullPass(desired, signal));
  }

  /**
   * Reads the service list back, and the destinations of one part in `parts` of the desired
   * services (service i is in part i mod parts; the parts are taken in turn), and repairs what
   * differs: a service changed or deleted by hand is seen by the next call, a destination
   * within `parts` calls. The other destinations come from memory; with none (the last pass
   * failed, or `forget`) this is a full pass. When `signal` aborts, the dumps not yet sent are
   * dropped and the pass rejects with its reason, writing nothing (a stop need not wait).
   */
  check(desired: Table, parts: number, signal?: AbortSignal): Promise<KeeperPass> {
    return this.serialized(async () => {
      const last = this.lastApplied;
      if (last === undefined || parts <= 1) return this.fullPass(desired, signal);
      const part = this.nextPart % parts;
      this.nextPart = part + 1;
      this.lastApplied = undefined;
      const remembered = new Map(last.services.map((entry) => [serviceId(entry.service.key), entry]));
      const dump = { stats: false, ...(signal === undefined ? {} : { signal }) };
      const services = await this.client.services(dump);
      const kernel = new Map(services.map((service) => [serviceId(service.key), service]));
      // Planned and dumped: this part, and every service that is missing, differs, or changed since the last pass.
      const scope = new Set<string>();
      desired.services.forEach((entry, i) => {
        const id = serviceId(entry.service.key);
        const now = kernel.get(id);
        if (i % parts === part || remembered.get(id) !== entry || now === undefined || !sameService(entry.service, now)) scope.add(id);
      });
      const wanted = new Set(desired.services.map((entry) => serviceId(entry.service.key)));
      // A service we do not want is kept in view, without destinations, so that the plan can delete it if it is ours.
      const inView = [...kernel].filter(([id]) => !wanted.has(id) || scope.has(id));
      const actual = await Promise.all(inView.map(async ([id, service]) => ({ service, destinations: wanted.has(id) ? await this.client.destinations(service.key, dump) : [] })));
      signal?.throwIfAborted();
      const owned = [...(this.options.owned ?? []), ...this.owned.values()];
      return this.landed('partial', desired, planReconcile(within(desired, scope), { services: actual }, { ...this.options, owned }), scope);
    });
  }

  /** The kernel may have changed behind us: the next pass reads it back. */
  forget(): void {
    this.lastApplied = undefined;
  }

  private serialized(pass: () => Promise<KeeperPass>): Promise<KeeperPass> {
    const run = this.queue.then(pass, pass);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async fullPass(desired: Table, signal?: AbortSignal): Promise<KeeperPass> {
    this.lastApplied = undefined;
    const owned = [...(this.options.owned ?? []), ...this.owned.values()];
    const wanted = new Set(desired.services.map((entry) => serviceId(entry.service.key)));
    // counters play no part in a plan
    const dump = { stats: false, ...(signal === undefined ? {} : { signal }) };
    const services = await this.client.services(dump);
    // destinations of a service we do not want play no part in the plan: it is left alone or deleted whole
    const destinations = await Promise.all(services.map(async (service) => (wanted.has(serviceId(service.key)) ? await this.client.destinations(service.key, dump) : [])));
    signal?.throwIfAborted();
    const actual: Table = { services: services.map((service, i) => ({ service, destinations: destinations[i] ?? [] })) };
    return this.landed('full', desired, planReconcile(desired, actual, { ...this.options, owned }));
  }

  private async landed(mode: KeeperPass['mode'], desired: Table, steps: ReconcileStep[], scope?: ReadonlySet<string>): Promise<KeeperPass> {
    this.lastApplied = undefined;
    // Services outside the scope were recorded by an earlier pass.
    for (const { service } of scope === undefined ? desired.services : within(desired, scope).services) this.owned.set(serviceId(service.key), service.key);
    const result = await applySteps(this.client, steps);
    if (result.failures.length === 0) {
      this.lastApplied = desired;
      for (const step of steps) if (step.kind === 'delete-service') this.owned.delete(serviceId(step.key));
    }
    return { mode, steps, ...result };
  }
}
