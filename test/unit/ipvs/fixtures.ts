/** Terse builders of IPVS values for tests: kernel-like defaults, overridden per case. */
import type { Destination, Service, ServiceKey, Table } from '../../../src/ipvs/types.js';

export const tcp = (address: string, port: number): ServiceKey => ({ family: address.includes(':') ? 'inet6' : 'inet', protocol: 'tcp', address, port });

export const svc = (key: ServiceKey, extra: Partial<Service> = {}): Service => ({
  key,
  scheduler: 'wlc',
  flags: 0,
  timeout: 0,
  netmask: key.family === 'inet' ? '255.255.255.255' : 128,
  ...extra,
});

export const real = (address: string, port: number, extra: Partial<Destination> = {}): Destination => ({
  family: address.includes(':') ? 'inet6' : 'inet',
  address,
  port,
  forward: 'masq',
  weight: 1,
  upperThreshold: 0,
  lowerThreshold: 0,
  ...extra,
});

export const table = (...services: [Service, Destination[]][]): Table => ({
  services: services.map(([service, destinations]) => ({ service, destinations })),
});
