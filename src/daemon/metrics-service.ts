/**
 * The Prometheus endpoint as a Service: each scrape renders the whole daemon's status
 * (ServiceContext.snapshot()) with the process sample (src/control/metrics.ts). The HTTP
 * listener and the sampler come in as ports.
 */
import type { KeepalivedConfig } from '../config/model.js';
import type { ListenAddress } from '../control/listen-address.js';
import { renderMetrics } from '../control/metrics.js';
import type { HttpListener, ListenHttp, SampleProcess } from '../control/ports.js';
import { failureOf } from './control-service.js';
import type { Service, ServiceContext } from './service.js';

/** An address it cannot bind is logged and reported in the status, as ControlService does. */
export class MetricsService implements Service {
  readonly name = 'metrics';
  private listener: HttpListener | undefined;
  private failure: { readonly code: string; readonly message: string } | undefined;

  constructor(
    private readonly ports: { readonly listen: ListenHttp; readonly sample: SampleProcess },
    private readonly address: ListenAddress,
  ) {}

  async start(_config: KeepalivedConfig, context: ServiceContext): Promise<void> {
    try {
      this.listener = await this.ports.listen({
        ...this.address,
        log: context.log,
        metrics: () => renderMetrics(context.snapshot(), this.ports.sample()),
      });
      const { host, port } = this.listener.address;
      context.log.info({ host, port }, 'metrics listening at /metrics');
    } catch (err) {
      this.failure = failureOf(err);
      context.log.error({ ...this.address, code: this.failure.code }, `metrics unavailable, running without them: ${this.failure.message}`);
    }
  }

  /** Set on the command line (or /etc/default), never in keepalived.conf, which stays keepalived's. */
  async reconfigure(): Promise<void> {}

  async stop(): Promise<void> {
    await this.listener?.close();
    this.listener = undefined;
  }

  status(): object {
    const failure = this.failure ? { error: this.failure } : {};
    return { listen: this.listener?.address ?? null, ...failure, scrapes: this.listener?.scrapes() ?? 0 };
  }
}
