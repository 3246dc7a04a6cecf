import type { TimerName, VrrpState } from './events.js';

/**
 * What the state machine asks the Linux shell to do. Timers are absolute times on the caller's
 * clock (milliseconds); arming a timer that is already armed moves it.
 */
export type VrrpAction =
  | {
      readonly type: 'sendAdvert';
      readonly instance: string;
      readonly priority: number;
      readonly advertIntervalMs: number;
      readonly addresses: readonly string[];
    }
  /** Gratuitous ARPs (IPv4) or unsolicited NAs (IPv6) for every address, `repeat` of each. */
  | { readonly type: 'sendGarp'; readonly instance: string; readonly addresses: readonly string[]; readonly repeat: number }
  /**
   * The Master's VIPs, then its virtual routes and rules, go in (out for removeVips, in reverse).
   * `accept` false (no accept mode, not owner): the shell must drop traffic to these addresses.
   */
  | { readonly type: 'addVips'; readonly instance: string; readonly addresses: readonly string[]; readonly accept: boolean }
  | { readonly type: 'removeVips'; readonly instance: string; readonly addresses: readonly string[] }
  /**
   * A reload changed a Master's VIPs: only these go out and in, the others stay untouched. The
   * shell also brings the Master's virtual routes and rules to the new file's (the core does not
   * see them).
   */
  | { readonly type: 'changeVips'; readonly instance: string; readonly add: readonly string[]; readonly remove: readonly string[]; readonly accept: boolean }
  /** A reload matched the running `from` to `instance` by another name: timers, holdings and counters move to the new name. */
  | { readonly type: 'renameInstance'; readonly instance: string; readonly from: string }
  /** A reload removed the instance: its timers go; it has already released what it held. */
  | { readonly type: 'forgetInstance'; readonly instance: string }
  | { readonly type: 'armTimer'; readonly instance: string; readonly timer: TimerName; readonly at: number }
  | { readonly type: 'cancelTimer'; readonly instance: string; readonly timer: TimerName }
  /**
   * Run a notify script: `script` is the command line as configured, `args` are appended after
   * splitting it. `timeoutMs` is set for the stop script, which keepalived waits for (1 s).
   */
  | { readonly type: 'runScript'; readonly script: string; readonly args: readonly string[]; readonly timeoutMs?: number }
  /** One line for notify_fifo / vrrp_notify_fifo, newline included. */
  | { readonly type: 'fifo'; readonly line: string }
  | {
      readonly type: 'transition';
      readonly scope: 'INSTANCE' | 'GROUP';
      readonly name: string;
      readonly from: VrrpState;
      readonly to: VrrpState;
      readonly reason: string;
      readonly at: number;
    };
