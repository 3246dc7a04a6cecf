/**
 * The packet capture of bench/vrrp-start and bench/vrrp-scale, run as a child inside the
 * capture namespace (the far ends of the daemon's veth pairs), so it sees each advert once, as
 * it arrives, and nothing the daemon receives. An AF_PACKET socket (the project's addon) gets
 * every IPv4 frame; VRRP ones (protocol 112) are stamped with process.hrtime.bigint(), which is
 * CLOCK_MONOTONIC and so comparable with the parent's clock.
 *
 * Commands on stdin, answers as one JSON line each on stdout:
 *   arm     the next advert with priority > 0 is printed as {first: ns, source, vrid}
 *   reset   forget the statistics
 *   report  {routers: [{source, vrid, count, maxGapMs, gapsMs}]}, per advertising router (source +
 *           VRID); gapsMs lists every gap between two of its adverts since the reset
 */
import { createInterface } from 'node:readline';
import { AF_PACKET, SOCK_DGRAM, SOL_SOCKET, native } from '../../dist/linux/native.js';

const ETH_P_IP_NETWORK_ORDER = 0x0008; // htons(0x0800)
const VRRP = 112;
const SO_RCVBUFFORCE = 33;
const sockets = native();
const fd = sockets.socket(AF_PACKET, SOCK_DGRAM, ETH_P_IP_NETWORK_ORDER);
// a thousand Masters send in one burst: the default buffer (~200 frames) would drop most of it
// whenever this process is not running, and a dropped advert reads as a late one
sockets.setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, 64 << 20);

let armed = false;
/** source/vrid -> [count, last ns, max gap ns, every gap ns] */
let routers = new Map();

sockets.startReceiving(fd, (ip) => {
  const now = process.hrtime.bigint();
  const headerLength = (ip[0] & 0x0f) * 4;
  if (ip[9] !== VRRP || ip.length < headerLength + 8) return;
  const source = `${ip[12]}.${ip[13]}.${ip[14]}.${ip[15]}`;
  const vrid = ip[headerLength + 1];
  const priority = ip[headerLength + 2];
  if (priority === 0) return; // a stopping daemon's last word, not an advert on schedule
  if (armed) {
    armed = false;
    console.log(JSON.stringify({ first: now.toString(), source, vrid }));
  }
  const key = `${source}/${vrid}`;
  const seen = routers.get(key);
  if (!seen) routers.set(key, [1, now, 0n, []]);
  else {
    const gap = now - seen[1];
    seen[0]++;
    seen[1] = now;
    if (gap > seen[2]) seen[2] = gap;
    seen[3].push(gap);
  }
});

createInterface({ input: process.stdin }).on('line', (command) => {
  if (command === 'arm') armed = true;
  else if (command === 'reset') routers = new Map();
  else if (command === 'report') {
    const list = [...routers].map(([key, [count, , maxGap, gaps]]) => {
      const [source, vrid] = key.split('/');
      return { source, vrid: Number(vrid), count, maxGapMs: Number(maxGap) / 1e6, gapsMs: gaps.map((g) => Number(g) / 1e6) };
    });
    console.log(JSON.stringify({ routers: list }));
  }
});
console.log(JSON.stringify({ ready: true }));
