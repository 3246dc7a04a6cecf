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
 */
import { applySteps, readTable, type ApplyResult } from './apply.js';
import { serviceId } from './keys.js';
import { planReconcile, type ReconcileOptions, type ReconcileStep } from './reconcile.js';
import type { IpvsClient, ServiceKey, Table } from './types.js';

export interface KeeperPass extends ApplyResult {
  /** `incremental`: planned against the table last applied; `full`: against a fresh dump. */
  readonly mode: 'incremental' | 'full';
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
  fullCheck(desired: Table): Promise<KeeperPass> {
    return this.serialized(() => this.fullPass(desired));
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

  private async fullPass(desired: Table): Promise<KeeperPass> {
    this.lastApplied = undefined;
    const owned = [...(this.options.owned ?? []), ...this.owned.values()];
    const actual = await readTable(this.client);
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
