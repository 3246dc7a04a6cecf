/**
 * The LVS part of `keepalived-ts reload --dry-run`: each IPVS write a reload would make, as one
 * line in ipvsadm's words (`add destination 192.168.1.12:80 in TCP 10.0.0.1:80: masq weight 1`).
 */
import { describeDestination, describeService } from '../ipvs/keys.js';
import type { ReconcileStep } from '../ipvs/reconcile.js';

export interface LvsChange {
  readonly op: 'add' | 'edit' | 'delete';
  readonly kind: 'service' | 'destination';
  readonly text: string;
}

export interface LvsPreview {
  readonly changes: readonly LvsChange[];
}

export function describeStep(step: ReconcileStep): LvsChange {
  switch (step.kind) {
    case 'add-service':
    case 'edit-service': {
      const { service } = step;
      const op = step.kind === 'add-service' ? 'add' : 'edit';
      return { op, kind: 'service', text: `${op} service ${describeService(service.key)}: scheduler ${service.scheduler}` };
    }
    case 'delete-service':
      return { op: 'delete', kind: 'service', text: `delete service ${describeService(step.key)}` };
    case 'add-destination':
    case 'edit-destination': {
      const { destination } = step;
      const op = step.kind === 'add-destination' ? 'add' : 'edit';
      return { op, kind: 'destination', text: `${op} destination ${describeDestination(step.service, destination)}: ${destination.forward} weight ${destination.weight}` };
    }
    case 'delete-destination':
      return { op: 'delete', kind: 'destination', text: `delete destination ${describeDestination(step.service, step.destination)}` };
  }
}
