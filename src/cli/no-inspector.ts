/**
 * Imported first by the command's entry point. Node opens its inspector on 127.0.0.1:9229 when
 * a process gets SIGUSR1 and nobody listens for it; keepalived's users send USR1 for the data
 * dump, and a debugger port in a root daemon is a hole. A listener is enough to stop that (Node
 * 20 has no --disable-sigusr1); the daemon's own listener writes the dump. Only the few
 * milliseconds before this module runs remain exposed.
 */
process.on('SIGUSR1', () => undefined);
