/** What the checker machine (checker-fsm.ts) is told and what it asks for. Times are ms. */

export type CheckerEvent =
  /** Begin checking; `random` in [0, 1) picks the first check's place within warmup. */
  | { readonly type: 'start'; readonly random: number }
  /** The time last armed has come. */
  | { readonly type: 'timer' }
  /** The probe asked for ended; `reason` is keepalived's words for what happened. */
  | { readonly type: 'result'; readonly ok: boolean; readonly reason: string };

export type CheckerAction =
  /** (Re)arm the checker's one timer at this absolute time. */
  | { readonly type: 'arm'; readonly at: number }
  /** Run one probe now (for HTTP_GET/SSL_GET: of this url). */
  | { readonly type: 'probe'; readonly url: number }
  /**
   * keepalived calls update_svr_checker_state() here: the checker is judged up or down.
   * `firstRun` is true for its first verdict (has_run was false), which can notify even without
   * a change (alpha, or a first failure).
   */
  | { readonly type: 'verdict'; readonly up: boolean; readonly firstRun: boolean; readonly reason: string }
  /** A line keepalived logs at LOG_INFO, word for word. */
  | { readonly type: 'log'; readonly message: string };
