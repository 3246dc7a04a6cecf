import type { Checker, Connection } from '../../src/config/model.js';

/** The checker variant whose `type` may be T (TCP_CHECK and PING_CHECK share one). */
type Matching<C, T> = C extends { type: infer U } ? (T extends U ? C : never) : never;
type Of<T extends Checker['type']> = Matching<Checker, T>;

const TIMING = { pos: { file: 'keepalived.conf', line: 1, col: 1 }, retry: 1, delay_before_retry: 1, warmup: 1, delay_loop: 1, alpha: false, log_all_failures: false };

/** Connection settings as the config builder leaves them when only connect_ip/port are given. */
export function connection(ip: string, port: number, over: Partial<Connection> = {}): Connection {
  return { connect_ip: ip, connect_port: port, bindto: null, bind_port: null, bind_if: null, connect_timeout: 1, fwmark: null, ...over };
}

/** A checker of `type` with every field the model has, defaults as the config builder fills them, then `over`. */
export function checkerOf<T extends Checker['type']>(type: T, over: Partial<Of<T>>): Of<T> {
  const defaults: Record<string, object> = {
    SMTP_CHECK: { helo_name: null },
    DNS_CHECK: { query_type: 'SOA', name: '.' },
    UDP_CHECK: { payload: null, require_reply: false, min_reply_length: 0, max_reply_length: 255 },
    MISC_CHECK: { misc_path: null, misc_timeout: 1, misc_dynamic: false, user: null },
    FILE_CHECK: { track_file: null, weight: 1, weight_reverse: false },
  };
  return { ...TIMING, ...connection('127.0.0.1', 0), ...(defaults[type] ?? {}), type, ...over } as unknown as Of<T>;
}
