import type { Logger } from 'pino';
import { Announcer } from '../linux/announcer.js';
import { NotifyFifo } from '../linux/fifo.js';
import { Rtnl } from '../linux/rtnl.js';
import { RtnlWatch } from '../linux/rtnl-watch.js';
import { TimerHost } from '../linux/timers.js';
import { VrrpTransport } from '../linux/vrrp-transport.js';
import { NotifyRunner } from './notify-runner.js';
import type { VrrpPorts } from './ports.js';
import type { ScriptPolicy } from './script-policy.js';
import { TrackScripts } from './track-scripts.js';

/** The real adapters behind the VRRP service's ports: sockets, rtnetlink, processes and timers. */
export function linuxVrrpPorts(log: Logger, policy: ScriptPolicy): VrrpPorts {
  return {
    rtnl: Rtnl.open(),
    timers: new TimerHost(),
    scripts: new NotifyRunner(log, policy),
    watchLinks: () => {
      const watch = new RtnlWatch();
      return { onLink: (handler) => watch.on('link', handler), onResync: (handler) => watch.on('resync', handler), close: () => watch.close() };
    },
    openSocket: (options, handlers) => {
      const transport = VrrpTransport.open(options);
      transport.on('arrival', handlers.arrival);
      transport.on('error', handlers.error);
      return transport;
    },
    openAnnouncer: () => new Announcer(),
    openFifo: (path) => new NotifyFifo(path),
    trackScripts: (plans, changed) => new TrackScripts(plans, log, policy, changed),
  };
}
