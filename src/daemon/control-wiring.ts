/** The control and metrics services with their real Linux adapters, for the supervisor's list. */
import type { ListenAddress } from '../control/listen-address.js';
import { listenControlSocket } from '../linux/control-socket.js';
import { listenMetrics, sampleProcess } from '../linux/metrics-listener.js';
import { ControlService } from './control-service.js';
import { MetricsService } from './metrics-service.js';

export function linuxControlService(path?: string): ControlService {
  return new ControlService((options) => listenControlSocket(options), path);
}

export function linuxMetricsService(address: ListenAddress): MetricsService {
  return new MetricsService({ listen: listenMetrics, sample: sampleProcess }, address);
}
