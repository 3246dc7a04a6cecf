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

/** `Mon Dec  7 16:09:07 2026: (VI_1) Entering MASTER STATE` */
export function consoleLine(date: Date, message: string): string {
  const day = String(date.getDate()).padStart(2, ' ');
  return `${DAYS[date.getDay()]} ${MONTHS[date.getMonth()]} ${day} ${clock(date)} ${date.getFullYear()}: ${message}\n`;
}

/** `Mon Dec 07 16:09:07.123000000 2026: (VI_1) Entering MASTER STATE`; we know milliseconds only. */
export function fileLine(date: Date, message: string): string {
  const nanos = `${String(date.getMilliseconds()).padStart(3, '0')}000000`;
  return `${DAYS[date.getDay()]} ${MONTHS[date.getMonth()]} ${two(date.getDate())} ${clock(date)}.${nanos} ${date.getFullYear()}: ${message}\n`;
}
