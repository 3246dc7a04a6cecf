/**
 * Running a reconcile plan through an IpvsClient (the kernel's, or the in-memory one in tests).
 * Every step is one netlink write; a failed step does not stop the others, except that the
 * destinations of a service that could not be added are skipped rather than sent to certain
 * ESRCH. The next pass, planned from a fresh dump, retries whatever did not land.
 */
import type { IpvsClient, ServiceKey, Table } from './types.js';
import { planReconcile, type ReconcileOptions, type ReconcileStep } from './reconcile.js';
import { IpvsError } from './errors.js';
import { describeService, serviceId } from './keys.js';

export interface ApplyFailure {
  readonly step: ReconcileStep;
  readonly error: unknown;
}

export interface ApplyResult {
  /** Netlink writes sent: one per step attempted. */
  readonly writes: number;
  readonly failures: readonly ApplyFailure[];
}

export const IPVS_SKIPPED = 'IPVS_SKIPPED';

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

function stepService(step: ReconcileStep): ServiceKey {
  switch (step.kind) {
    case 'delete-service':
      return step.key;
    case 'add-service':
    case 'edit-service':
      return step.service.key;
    default:
      return step.service;
  }
}

export async function applySteps(client: IpvsClient, steps: readonly ReconcileStep[]): Promise<ApplyResult> {
  let writes = 0;
  const failures: ApplyFailure[] = [];
  const missing = new Set<string>();
  for (const step of steps) {
    const service = stepService(step);
    if (step.kind.endsWith('-destination') && missing.has(serviceId(service))) {
      failures.push({ step, error: new IpvsError(IPVS_SKIPPED, `${step.kind} skipped: ${describeService(service)} could not be added`) });
      continue;
    }
    writes++;
    try {
      await runStep(client, step);
    } catch (error) {
      failures.push({ step, error });
      if (step.kind === 'add-service') missing.add(serviceId(service));
    }
  }
  return { writes, failures };
}

/** The whole table: one service dump, then one destination dump per service. */
export async function readTable(client: IpvsClient): Promise<Table> {
  const entries: Table['services'][number][] = [];
  for (const service of await client.services()) entries.push({ service, destinations: await client.destinations(service.key) });
  return { services: entries };
}

/** Dump, plan and apply: one reconcile pass. */
export async function reconcile(
  client: IpvsClient,
  desired: Table,
  options: ReconcileOptions = {},
): Promise<ApplyResult & { readonly steps: readonly ReconcileStep[] }> {
  const steps = planReconcile(desired, await readTable(client), options);
  return { steps, ...(await applySteps(client, steps)) };
}
