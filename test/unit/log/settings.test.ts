import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../src/cli/options.js';
import { logSettings } from '../../../src/log/settings.js';

const settings = (args: string[], env: NodeJS.ProcessEnv = {}) => logSettings(parseCommandLine(args).options, env);

describe("keepalived's logging flags", () => {
  it('by default: syslog (the journal or stdout), facility daemon, info', () => {
    expect(settings([])).toEqual({ syslog: true, console: false, facility: 3, level: 'info' });
  });

  it('-l console, -G no syslog, -D detail, -S facility', () => {
    expect(settings(['-lGD', '-S', 'local2'])).toEqual({ syslog: false, console: true, facility: 18, level: 'debug' });
  });

  it('-g alone is keepalived.log in $TMPDIR when absolute, else /tmp; a relative name too', () => {
    expect(settings(['-g']).file).toBe('/tmp/keepalived.log');
    expect(settings(['-g'], { TMPDIR: '/var/tmp' }).file).toBe('/var/tmp/keepalived.log');
    expect(settings(['-g'], { TMPDIR: 'relative' }).file).toBe('/tmp/keepalived.log');
    expect(settings(['-gka.log']).file).toBe('/tmp/ka.log');
    expect(settings(['--log-file=/var/log/ka.log']).file).toBe('/var/log/ka.log');
  });
});
