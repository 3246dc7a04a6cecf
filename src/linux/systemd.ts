import { native } from './native.js';

/**
 * sd_notify(3) without libsystemd: when systemd started us with Type=notify it passes
 * NOTIFY_SOCKET, and READY=1 / RELOADING=1 / STOPPING=1 lines tell it where we are. Outside
 * systemd this does nothing.
 */
export function sdNotify(state: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const socket = env.NOTIFY_SOCKET;
  if (!socket) return false;
  native().notifyDatagram(socket, state);
  return true;
}
