/**
 * keepalived's signals and what each asks of the daemon (keepalived's main.c and vrrp_daemon.c
 * signal_set calls). The numbers are Linux's, as `keepalived --signum NAME` prints them.
 */
export type DaemonSignal = 'SIGHUP' | 'SIGINT' | 'SIGTERM' | 'SIGUSR1' | 'SIGUSR2' | 'SIGJSON' | 'SIGSTATS_CLEAR';

/** SIGJSON is SIGRTMIN+2 and SIGSTATS_CLEAR SIGRTMAX-1 with glibc (SIGRTMIN 34, SIGRTMAX 64). */
export const SIGNAL_NUMBERS: Readonly<Record<DaemonSignal, number>> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGUSR1: 10,
  SIGUSR2: 12,
  SIGTERM: 15,
  SIGJSON: 36,
  SIGSTATS_CLEAR: 63,
};

/** `--signum NAME`: keepalived's names for the signals it may be sent. */
export const SIGNUM_NAMES: Readonly<Record<string, DaemonSignal>> = {
  STOP: 'SIGTERM',
  RELOAD: 'SIGHUP',
  DATA: 'SIGUSR1',
  STATS: 'SIGUSR2',
  STATS_CLEAR: 'SIGSTATS_CLEAR',
  JSON: 'SIGJSON',
};

/** Delivers the daemon's signals; until closed, none of them has its default action. */
export interface SignalPort {
  on(handler: (signal: DaemonSignal) => void): void;
  close(): void;
}
