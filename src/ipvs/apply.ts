/**
 * Running a reconcile plan through an IpvsClient (the kernel's, or the in-memory one in tests).
 * Every step is one netlink write; a failed step does not stop the others (the destinations of
 * a service the kernel refused then fail with ESRCH). The next pass, planned from a fresh dump,
 * retries whatever did not land.
 */
import type { IpvsClient, ServiceKey, Table } from './types.js';
import { serviceId } from './keys.js';
import { planReconcile, type ReconcileOptions, type ReconcileStep } from './reconcile.js';

export interface ApplyFailure {
  readonly step: ReconcileStep;
  readonly error: unknown;
}

export interface ApplyResult {
  /** Netlink writes sent: one per step attempted. */
  readonly writes: number;
  readonly failures: readonly ApplyFailure[];
}

function runStep(client: IpvsClient, step: ReconcileStep): Promise<void> {
  switch (step.kind) {
    case 'delete-service':
      return client.deleteService(step.key);
    case 'add-service':
      return client.addService(step.service);
    case 'edit-service':
      return client.editService(step.service);
    case 'add-destination':
      return client.addDestination(step.service, step.destination);
    case 'edit-destination':
      return client.editDestination(step.service, step.destination);
    case 'delete-destination':
      return client.deleteDestination(step.service, step.destination);
  }
}

/**
 * Steps are handed to the client all at once, in order, so a client that pipelines (the
 * netlink one does) sends them back to back; each one still leaves after those before it.
 */
export async function applySteps(client: IpvsClient, steps: readonly ReconcileStep[]): Promise<ApplyResult> {
  const failures: ApplyFailure[] = [];
  const outcomes = steps.map((step) =>
    runStep(client, step).then(
      () => undefined,
      (error: unknown) => ({ step, error }),
    ),
  );
  for (const outcome of await Promise.all(outcomes)) if (outcome !== undefined) failures.push(outcome);
  return { writes: steps.length, failures };
}

/**
 * The whole table: one service dump, then one destination dump per service. The destination
 * dumps are all asked for at once; the client decides how many run side by side (the netlink
 * one spreads them over its dump sockets).
 */
export async function readTable(client: IpvsClient): Promise<Table> {
  const services = await client.services();
  const destinations = await Promise.all(services.map((service) => client.destinations(service.key)));
  return { services: services.map((service, i) => ({ service, destinations: destinations[i] ?? [] })) };
}

/** Dump, plan and apply: one reconcile pass. */
export async function reconcile(client: IpvsClient, desired: Table, options: ReconcileOptions = {}): Promise<ApplyResult & { readonly steps: readonly ReconcileStep[] }> {
  const steps = planReconcile(desired, await readTable(client), options);
  return { steps, ...(await applySteps(client, steps)) };
}

export interface KeeperPass extends ApplyResult {
  /** `incremental`: planned against the table last applied; `full`: against a fresh dump. */
  readonly mode: 'incremental' | 'full';
  readonly steps: readonly ReconcileStep[];
}

/**
 * The daemon's view of the kernel table. After a pass that landed whole it remembers the table
 * it applied, and the next `apply` plans against that memory: a weight change costs its writes
 * and no dump. The memory is dropped, so the next pass reads the kernel back, when a write
 * failed, when `fullCheck` is called (a daemon does so on a timer, which repairs damage done
 * behind its back), or when `forget` says the kernel may have changed (a netlink error, IPVS
 * reloaded). Passes run one at a time, in call order.
 */
export class IpvsTableKeeper {
  private lastApplied: Table | undefined;
  /** Every service a pass asked for: a full pass deletes those no longer desired. */
  private readonly owned = new Map<string, ServiceKey>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly client: IpvsClient,
    private readonly options: ReconcileOptions = {},
  ) {}

  /** Brings the kernel to `desired`, from memory when the last pass landed whole. */
  apply(desired: Table): Promise<KeeperPass> {
    return this.serialized(() => (this.lastApplied === undefined ? this.fullPass(desired) : this.incrementalPass(desired, this.lastApplied)));
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

  /** Everything in memory is ours, so a service dropped from `desired` is deleted. */
  private async incrementalPass(desired: Table, lastApplied: Table): Promise<KeeperPass> {
    return this.landed('incremental', desired, planReconcile(desired, lastApplied, { flush: true }));
  }

  private async fullPass(desired: Table): Promise<KeeperPass> {
    this.lastApplied = undefined;
    const owned = [...(this.options.owned ?? []), ...this.owned.values()];
    const actual = await readTable(this.client);
    return this.landed('full', desired, planReconcile(desired, actual, { ...this.options, owned }));
  }

  private async landed(mode: KeeperPass['mode'], desired: Table, steps: ReconcileStep[]): Promise<KeeperPass> {
    this.lastApplied = undefined;
    for (const { service } of desired.services) this.owned.set(serviceId(service.key), service.key);
    const result = await applySteps(this.client, steps);
    if (result.failures.length === 0) {
      this.lastApplied = desired;
      for (const step of steps) if (step.kind === 'delete-service') this.owned.delete(serviceId(step.key));
    }
    return { mode, steps, ...result };
  }
}
