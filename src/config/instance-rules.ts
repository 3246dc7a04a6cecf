/**
 * The rules keepalived applies when it completes a vrrp_instance (vrrp.c,
 * vrrp_complete_instance): advert interval limits per VRRP version, authentication, strict mode,
 * accept mode. Each returns the value keepalived would run with and reports what it changed, in
 * keepalived's words.
 */
import type { DiagnosticSink } from './diagnostic-sink.js';
import type { GlobalDefs, VrrpAuthentication } from './model.js';
import { Settings } from './settings.js';

const AUTH_PASS_MAX = 8;
const V2_ADVERT_MAX = 255;
const V3_ADVERT_MAX = 40.95;

/**
 * Settings strict mode pins to one value: the RFC value is the default under strict mode, and
 * an explicit other value is reset with keepalived's message.
 */
export class StrictRules {
  constructor(
    private readonly name: string,
    private readonly s: Settings,
    private readonly strict: boolean,
    private readonly sink: DiagnosticSink,
  ) {}

  number(keyword: string, fallback: number, required: number, message: string): number {
    return this.pinned(keyword, this.s.number(keyword), fallback, required, message);
  }

  flag(keyword: string, fallback: boolean, required: boolean, message: string): boolean {
    return this.pinned(keyword, this.s.flag(keyword), fallback, required, message);
  }

  private pinned<T>(keyword: string, given: T | undefined, fallback: T, required: T, message: string): T {
    if (!this.strict) return given ?? fallback;
    if (given !== undefined && given !== required) {
      this.sink.report('strict-mode-reset', `(${this.name}) ${message}`, { pos: this.s.pos(keyword), keyword });
    }
    return required;
  }
}

/** Accept mode: on unless strict (the owner always accepts); strict VRRPv2 never accepts (RFC 3768). */
export function acceptMode(name: string, s: Settings, priority: number, strict: boolean, version: 2 | 3, sink: DiagnosticSink): boolean {
  const chosen = lastOf(s, ['accept', 'no_accept']);
  const accept = chosen === undefined ? priority === 255 || !strict : chosen === 'accept';
  if (accept && priority !== 255 && strict && version === 2) {
    sink.report('strict-mode-reset', `(${name}) warning - accept mode for VRRP version 2 does not comply with RFC3768 - resetting`, {
      pos: s.pos('accept'),
      keyword: 'accept',
    });
    return false;
  }
  return accept;
}

export function multicastGroup(name: string, s: Settings, unicast: boolean, family: 4 | 6, global: GlobalDefs, sink: DiagnosticSink): string {
  const given = s.string('mcast_dst_ip');
  if (given !== null && unicast) {
    sink.report('mcast-dst-with-unicast', `(${name}) multicast destination specified with unicast - ignoring`, {
      pos: s.pos('mcast_dst_ip'),
      keyword: 'mcast_dst_ip',
    });
  }
  if (given !== null && !unicast) return given;
  return family === 6 ? global.vrrp_mcast_group6 : global.vrrp_mcast_group4;
}

export function ownerIgnoresAdverts(name: string, s: Settings, priority: number, global: GlobalDefs, sink: DiagnosticSink): boolean {
  const wanted = s.flag('owner_ignore_adverts') ?? global.vrrp_owner_ignore_adverts;
  if (wanted && priority !== 255) {
    if (s.flag('owner_ignore_adverts') === true) {
      sink.report('owner-ignore-adverts-not-owner', `(${name}) ignoring owner_ignore_adverts since priority is not 255`, {
        pos: s.pos('owner_ignore_adverts'),
        keyword: 'owner_ignore_adverts',
      });
    }
    return false;
  }
  return wanted;
}

export function lastOf(s: Settings, names: readonly string[]): string | undefined {
  const entries = s.reading?.entries ?? [];
  for (let i = entries.length - 1; i >= 0; i--) {
    const name = entries[i]?.name;
    if (name !== undefined && names.includes(name)) return name;
  }
  return undefined;
}

/** RFC 3768 §5.3.7 (v2: whole seconds, 8 bits) and RFC 9568 §5.2.7 (v3: centiseconds, 12 bits). */
export function advertInterval(name: string, s: Settings, version: 2 | 3, sink: DiagnosticSink): number {
  const given = s.numberOr('advert_int');
  const site = { pos: s.pos('advert_int'), keyword: 'advert_int' };
  if (version === 2) {
    if (given > V2_ADVERT_MAX) {
      sink.report('advert-int-clamped', `(${name}) VRRPv2 advertisement interval ${given.toFixed(2)}s is out of range. Must be less than 256s. Setting to 255s`, site);
      return V2_ADVERT_MAX;
    }
    if (!Number.isInteger(given)) {
      const rounded = Math.max(1, Math.round(given));
      sink.report('advert-int-rounded', `(${name}) VRRPv2 advertisement interval ${given.toFixed(6)}s must be an integer. rounding`, site, `using ${rounded}s`);
      return rounded;
    }
    return given;
  }
  if (given > V3_ADVERT_MAX) {
    sink.report('advert-int-clamped', `(${name}) VRRPv3 advertisement interval ${given.toFixed(2)}s is out of range. Must be less than 40.96s. Setting to 40.95s`, site);
    return V3_ADVERT_MAX;
  }
  // keepalived counts in microseconds and rounds half up to the centisecond; so do we, exactly.
  const micros = Math.round(given * 1e6);
  if (micros % 10_000 !== 0) {
    const rounded = Math.max(1, Math.floor((micros + 5_000) / 10_000)) / 100;
    sink.report('advert-int-rounded', `(${name}) VRRPv3 advertisement interval ${given.toFixed(6)}s must be in units of 10ms - rounding`, site, `using ${rounded}s`);
    return rounded;
  }
  return given;
}

export function authentication(name: string, s: Settings, version: 2 | 3, strict: boolean, sink: DiagnosticSink): VrrpAuthentication | null {
  const entry = s.entry('authentication');
  if (!entry) return null;
  const auth = new Settings('authentication', entry.child);
  const site = { pos: entry.stmt.pos, keyword: 'authentication' };
  const type = auth.string('auth_type');
  if (type === null) return null;
  if (strict) {
    sink.report('auth-ignored-strict', `(${name}) Strict mode does not support authentication. Ignoring.`, site);
    return null;
  }
  if (version === 3) {
    sink.report('auth-ignored-v3', `(${name}) VRRP version 3 does not support authentication. Ignoring.`, site);
    return null;
  }
  const pass = auth.string('auth_pass');
  if (pass === null || pass === '') {
    sink.report('auth-no-password', `(${name}) Authentication specified but no password given. Ignoring`, site);
    return null;
  }
  if (pass.length > AUTH_PASS_MAX) {
    sink.report('auth-pass-truncated', `(${name}) auth_pass is longer than ${AUTH_PASS_MAX} characters; only '${pass.slice(0, AUTH_PASS_MAX)}' is used`, {
      pos: auth.pos('auth_pass'),
      keyword: 'auth_pass',
    });
  }
  return { auth_type: type === 'AH' ? 'AH' : 'PASS', auth_pass: pass.slice(0, AUTH_PASS_MAX) };
}
