/**
 * Running a reconcile plan through an IpvsClient (the kernel's, or the in-memory one in tests).
 * Every step is one netlink write; a failed step does not stop the others (the destinations of
 * a service the kernel refused then fail with ESRCH). The next pass, planned from a fresh dump,
 * retries whatever did not land.
 */
import type { IpvsClient, Table } from './types.js';
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
