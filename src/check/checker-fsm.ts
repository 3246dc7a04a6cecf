/**
 * One checker's up/down/retry machine, stepped by events and a clock like src/vrrp/fsm.ts: the
 * shell feeds `timer` when the armed time comes and `result` when the probe it was asked for
 * ends, and carries out the actions in order. Two flavours reproduce keepalived's two epilogs:
 * `tcp` (check_tcp.c tcp_epilog(), also PING/UDP) and `http` (check_http.c epilog() and
 * timeout_epilog(), HTTP_GET/SSL_GET with their list of urls).
 */
import type { CheckerAction, CheckerEvent } from './checker-events.js';
import { checkerTexts } from './log-texts.js';

export type Flavour = 'tcp' | 'http';

/** A checker's settings, times in ms, as the machine needs them. */
export interface CheckerParams {
  readonly flavour: Flavour;
  /** keepalived's name of the check in its failure lines: TCP_CHECK, HTTP_CHECK, SSL_CHECK, …; it picks the log texts (log-texts.ts). */
  readonly checkName: string;
  /** FMT_CHK: the real server as `[ip]:tcp:port`. */
  readonly label: string;
  /** MISC_CHECK: the script (args[0]); FILE_CHECK: the tracked file; named in their log lines. */
  readonly source?: string;
  readonly retry: number;
  readonly delayLoopMs: number;
  readonly delayBeforeRetryMs: number;
  readonly warmupMs: number;
  readonly alpha: boolean;
  readonly logAllFailures: boolean;
  /** http: the paths of the urls checked in turn (tcp: ignored). */
  readonly urlPaths: readonly string[];
  readonly fastRecovery: boolean;
}

/** keepalived's checker_t fields that decide what happens next. */
export interface CheckerState {
  readonly up: boolean;
  readonly hasRun: boolean;
  readonly retryIt: number;
  /** http: the url being checked (url_it). */
  readonly url: number;
  /** http: the url whose failure marked the checker down (failed_url). */
  readonly failedUrl: number | null;
}

export interface StepResult {
  readonly state: CheckerState;
  readonly actions: CheckerAction[];
}

/** BOOTSTRAP_DELAY of check_api.c: the first check waits 1 s plus a random part of warmup. */
export const BOOTSTRAP_DELAY_MS = 1000;

/**
 * check_data.c check_check_data(): alpha starts the checker down; either way its retry counter
 * starts spent (`retry_it = retry`), so the first failure marks it down at once.
 */
export function initialState(p: CheckerParams): CheckerState {
  return { up: !p.alpha, hasRun: false, retryIt: p.retry, url: 0, failedUrl: null };
}

export function step(p: CheckerParams, s: CheckerState, event: CheckerEvent, now: number): StepResult {
  switch (event.type) {
    case 'start':
      // check_api.c register_checkers_thread(): warmup * random() / RAND_MAX, after BOOTSTRAP_DELAY
      return { state: s, actions: [{ type: 'arm', at: now + BOOTSTRAP_DELAY_MS + Math.floor(p.warmupMs * event.random) }] };
    case 'timer':
      return { state: s, actions: [{ type: 'probe', url: s.url }] };
    case 'result':
      return p.flavour === 'tcp' ? tcpEpilog(p, s, event.ok, event.reason, now) : httpResult(p, s, event.ok, event.reason, now);
  }
}

/**
 * check_tcp.c tcp_check_thread() and tcp_epilog() (keepalived 2.3+, where a down checker is not
 * retried); the other single-target types share its counting, each with its own words.
 */
function tcpEpilog(p: CheckerParams, s: CheckerState, ok: boolean, reason: string, now: number): StepResult {
  const texts = checkerTexts(p.checkName);
  const out: CheckerAction[] = [];
  const log = (message: string | null): void => {
    if (message !== null) out.push({ type: 'log', message });
  };
  const final = (s.up || !s.hasRun) && s.retryIt >= p.retry;
  const failure = { label: p.label, reason, retry: p.retry, hasRun: s.hasRun, attempt: s.retryIt + 1, source: p.source ?? '' };
  if (!ok && s.up && p.logAllFailures && (!final || texts.eachFailureBeforeDown)) log(texts.eachFailure(failure));
  let { up, retryIt } = s;
  let delay = p.delayLoopMs;
  if (ok || final) {
    retryIt = 0;
    if (ok && (!s.up || !s.hasRun)) {
      log(texts.success(p.label, p.source ?? '', !s.hasRun));
      out.push({ type: 'verdict', up: true, firstRun: !s.hasRun, reason });
      up = true;
    } else if (!ok && (s.up || !s.hasRun)) {
      log(texts.down(failure));
      out.push({ type: 'verdict', up: false, firstRun: !s.hasRun, reason });
      up = false;
    }
  } else if (s.up) {
    delay = p.delayBeforeRetryMs;
    retryIt++;
  }
  out.push({ type: 'arm', at: now + delay });
  return { state: { ...s, up, retryIt, hasRun: true }, actions: out };
}

/** check_http.c: a url that passed is REGISTER_CHECKER_NEW; a failure goes through timeout_epilog(). */
function httpResult(p: CheckerParams, s: CheckerState, ok: boolean, reason: string, now: number): StepResult {
  if (ok) {
    // http_handle_response(): while the checker is down each passing url is logged
    const out: CheckerAction[] = s.up ? [] : [{ type: 'log', message: `${reason} success to ${p.label} url(${p.urlPaths[s.url] ?? '/'})` }];
    return httpEpilog(p, s, 'new', reason, now, out);
  }
  // timeout_epilog(): a checker known to be down is not retried
  if (!s.up && s.hasRun) return httpEpilog(p, s, 'failed', reason, now, []);
  const out: CheckerAction[] = p.logAllFailures ? [{ type: 'log', message: `${reason} server ${p.label}.` }] : [];
  return httpEpilog(p, { ...s, hasRun: true }, 'retry', reason, now, out);
}

function httpEpilog(p: CheckerParams, s: CheckerState, method: 'new' | 'retry' | 'failed', reason: string, now: number, out: CheckerAction[]): StepResult {
  const urls = Math.max(1, p.urlPaths.length);
  let { up, hasRun, retryIt, failedUrl } = s;
  let url: number | null = s.url;
  if (method === 'new') {
    url = url + 1 < urls ? url + 1 : null;
    retryIt = 0;
  } else if (method === 'retry') retryIt++;

  if (method === 'new' && url === null && failedUrl === null) {
    // every url passed
    if (!up || !hasRun) {
      out.push({ type: 'log', message: `Remote Web server ${p.label} succeed on service.` });
      out.push({ type: 'verdict', up: true, firstRun: !hasRun, reason });
      up = true;
      hasRun = true;
    }
    url = 0;
    retryIt = 0;
  } else if (method === 'retry' && retryIt > p.retry) {
    // has_run is already set by timeout_epilog(), so only a checker that is up reports it
    if (up || !hasRun) {
      const why = hasRun && p.retry ? ` failed after ${retryIt - 1} retries.` : ' failed.';
      out.push({ type: 'log', message: `${p.checkName} on service ${p.label}${why}` });
      out.push({ type: 'verdict', up: false, firstRun: false, reason });
      up = false;
    }
    failedUrl = url;
  } else if (method === 'new' && failedUrl !== null) {
    // the failed url passes again: check them all from the first
    failedUrl = null;
    url = 0;
    retryIt = 0;
  }

  let delay: number;
  if (method === 'new') {
    delay = p.delayLoopMs;
    if (!hasRun) retryIt = p.retry;
  } else if (failedUrl !== null) delay = Math.max(p.delayBeforeRetryMs, p.delayLoopMs);
  else delay = p.delayBeforeRetryMs;
  // fast_recovery: not up but no failure known, so check the next url at once
  if (p.fastRecovery && (!hasRun || (!up && failedUrl === null))) delay = 0;
  out.push({ type: 'arm', at: now + delay });
  return { state: { up, hasRun, retryIt, url: url ?? 0, failedUrl }, actions: out };
}
