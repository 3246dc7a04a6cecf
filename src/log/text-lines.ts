/**
 * keepalived's human log lines (vlog_message() in lib/logger.c): on the console
 * `strftime("%c")` in the C locale, then `: ` and the message; in the -g log file
 * `%a %b %d %T.<nanoseconds> %Y: ` and the message. Local time, as keepalived's localtime_r().
 */
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const two = (n: number): string => String(n).padStart(2, '0');

function clock(date: Date): string {
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

/** The prefixes of the last millisecond asked for: a burst of lines shares a handful. */
let cached = { ms: Number.NaN, console: '', file: '' };

function prefixes(ms: number): typeof cached {
  if (ms === cached.ms) return cached;
  const date = new Date(ms);
  const day = DAYS[date.getDay()] ?? '';
  const month = MONTHS[date.getMonth()] ?? '';
  const time = clock(date);
  const year = date.getFullYear();
  const nanos = `${String(date.getMilliseconds()).padStart(3, '0')}000000`;
  cached = {
    ms,
    console: `${day} ${month} ${String(date.getDate()).padStart(2, ' ')} ${time} ${year}: `,
    file: `${day} ${month} ${two(date.getDate())} ${time}.${nanos} ${year}: `,
  };
  return cached;
}

/** `Mon Dec  7 16:09:07 2026: (VI_1) Entering MASTER STATE`; `at` a Date or epoch milliseconds. */
export function consoleLine(at: Date | number, message: string): string {
  return `${prefixes(+at).console}${message}\n`;
}

/** `Mon Dec 07 16:09:07.123000000 2026: (VI_1) Entering MASTER STATE`; we know milliseconds only. */
export function fileLine(at: Date | number, message: string): string {
  return `${prefixes(+at).file}${message}\n`;
}
