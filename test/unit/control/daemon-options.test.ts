import { describe, expect, it } from 'vitest';
import { controlOptions } from '../../../src/cli/control-options.js';
import { parseCommandLine, usage } from '../../../src/cli/options.js';
import { ControlService } from '../../../src/daemon/control-service.js';
import { MetricsService } from '../../../src/daemon/metrics-service.js';
import { SERVICE_FACTORIES } from '../../../src/daemon/services.js';
import { noConfig, silent } from './harness.js';

const config = { ...noConfig, global_defs: {}, virtual_servers: [] } as unknown as typeof noConfig;

describe("the daemon's --control-socket and --metrics-listen", () => {
  it('are read from the command line and listed in --help', () => {
    const { options, errors } = parseCommandLine(['-n', '--control-socket', '/tmp/a.sock', '--metrics-listen=127.0.0.1:9650']);
    expect(errors).toEqual([]);
    expect(controlOptions(options)).toEqual({ controlSocket: '/tmp/a.sock', metricsListen: { host: '127.0.0.1', port: 9650 } });
    expect(controlOptions(parseCommandLine(['-n']).options)).toEqual({});
    expect(usage('keepalived-ts')).toMatch(/--control-socket=PATH/);
    expect(usage('keepalived-ts')).toMatch(/--metrics-listen=HOST:PORT/);
  });

  it('refuses a metrics address that is not HOST:PORT', () => {
    expect(controlOptions(parseCommandLine(['--metrics-listen', '9650']).options)).toEqual({ error: expect.stringContaining('expected HOST:PORT') });
  });

  it('always start a control service, and a metrics service only when asked', () => {
    // the factories after VRRP's (whose ports open netlink sockets, so it is not built here)
    const build = (extra: object) => SERVICE_FACTORIES.slice(1).flatMap((f) => f({ config, log: silent, vrrpOnly: true, ...extra }) ?? []);
    expect(build({}).map((s) => s.name)).toEqual(['control']);
    const both = build({ controlSocket: '/tmp/x.sock', metricsListen: { host: '127.0.0.1', port: 0 } });
    expect(both.map((s) => s.name)).toEqual(['control', 'metrics']);
    expect(both[0]).toBeInstanceOf(ControlService);
    expect(both[0]?.status()).toMatchObject({ socket: '/tmp/x.sock' });
    expect(both[1]).toBeInstanceOf(MetricsService);
  });
});
