/**
 * Identity of services and destinations: a canonical string per key (for maps and diffs) and a
 * human description in ipvsadm's words (for errors and logs).
 */
import type { DestinationKey, Family, ServiceKey } from './types.js';
import { canonicalIpvsAddress } from './address.js';

export function isFwmarkKey(key: ServiceKey): key is Extract<ServiceKey, { fwmark: number }> {
  return 'fwmark' in key;
}

function hostPort(family: Family, address: string, port: number): string {
  return family === 'inet6' ? `[${address}]:${port}` : `${address}:${port}`;
}

/** `TCP 10.0.0.1:80`, `UDP [2001:db8::1]:53`, `FWM 7`, `FWM 7 IPv6`. */
export function describeService(key: ServiceKey): string {
  if (isFwmarkKey(key)) return `FWM ${key.fwmark}${key.family === 'inet6' ? ' IPv6' : ''}`;
  return `${key.protocol.toUpperCase()} ${hostPort(key.family, key.address, key.port)}`;
}

/** `10.0.0.2:80 in TCP 10.0.0.1:80`. */
export function describeDestination(service: ServiceKey, destination: DestinationKey): string {
  return `${hostPort(destination.family, destination.address, destination.port)} in ${describeService(service)}`;
}

/** The same key with its address in canonical spelling; throws IPVS_BAD_VALUE on a bad address. */
export function canonicalServiceKey(key: ServiceKey): ServiceKey {
  if (isFwmarkKey(key)) return { family: key.family, fwmark: key.fwmark };
  return { family: key.family, protocol: key.protocol, address: canonicalIpvsAddress(key.address, key.family), port: key.port };
}

export function canonicalDestinationKey(key: DestinationKey): DestinationKey {
  return { family: key.family, address: canonicalIpvsAddress(key.address, key.family), port: key.port };
}

/** A string equal for equal keys, whatever the address spelling. */
export function serviceId(key: ServiceKey): string {
  const k = canonicalServiceKey(key);
  return isFwmarkKey(k) ? `${k.family} fwmark ${k.fwmark}` : `${k.family} ${k.protocol} ${hostPort(k.family, k.address, k.port)}`;
}

export function destinationId(key: DestinationKey): string {
  const k = canonicalDestinationKey(key);
  return `${k.family} ${hostPort(k.family, k.address, k.port)}`;
}
