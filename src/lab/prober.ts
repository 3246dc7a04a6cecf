import { nodeInNs, type NodeChild } from './node-in-ns.js';

/** A TCP server in a director's namespace that answers every connection with the director's name. */
export async function nameServer(ns: string, name: string, port: number): Promise<NodeChild> {
  const child = nodeInNs(
    ns,
    `
    import { createServer } from 'node:net';
    // a probe reset mid-answer (the hand-over cuts them) is an 'error' on that socket: without a
    // handler it would end this server, and every later test would see the port refused
    createServer((s) => s.on('error', () => {}).end('${name}')).listen(${port}, '0.0.0.0', () => console.log(JSON.stringify('ready')));`,
  );
  await child.until((v) => v === 'ready');
  return child;
}

/**
 * Linux may keep a neighbour entry updated less than `locktime` (1 s by default) ago against a
 * new ARP: a hand-over measured right after the old Master's own start-up GARPs showed losses no
 * long-running Master has. Wait this long after a Master appears.
 */
export const SETTLE_AFTER_GARP_MS = 1200;

export interface ProbeReport {
  readonly sent: number;
  readonly answered: number;
  /** Sequence numbers of probes that got no answer within the probe timeout. */
  readonly lost: readonly number[];
  /** Who answered, each time it changed, with the probe's start time (ms since probing began). */
  readonly holders: readonly { readonly who: string; readonly atMs: number }[];
  /** The longest time without an answer: from the first probe of a run of lost ones to the next answered probe. */
  readonly longestGapMs: number;
}

/**
 * A client that opens a TCP connection to `vip:port` every `everyMs` and records who answered:
 * the proof that a hand-over loses no client traffic, and a measure of how much it loses when
 * it does.
 */
export class Prober {
  private constructor(private readonly child: NodeChild) {}

  static async start(ns: string, vip: string, port: number, everyMs = 10, timeoutMs = 250): Promise<Prober> {
    const child = nodeInNs(
      ns,
      `
      import { connect } from 'node:net';
      import { createInterface } from 'node:readline';
      const started = performance.now();
      let sent = 0, answered = 0;
      const lost = [], holders = [], outstanding = new Set(), starts = [];
      const probe = () => {
        const seq = sent++;
        const at = performance.now() - started;
        starts.push(at);
        outstanding.add(seq);
        let done = false;
        const finish = (who) => {
          if (done) return;
          done = true;
          outstanding.delete(seq);
          if (who === undefined) { lost.push(seq); return; }
          answered++;
          if (holders.at(-1)?.who !== who) holders.push({ who, atMs: Math.round(at) });
        };
        const s = connect({ host: '${vip}', port: ${port} });
        let text = '';
        s.setTimeout(${timeoutMs}, () => { s.destroy(); finish(undefined); });
        s.on('data', (d) => (text += d));
        s.on('end', () => finish(text));
        s.on('error', () => finish(undefined));
      };
      const timer = setInterval(probe, ${everyMs});
      createInterface({ input: process.stdin }).on('line', () => {
        clearInterval(timer);
        const report = () => {
          if (outstanding.size > 0) return setTimeout(report, 20);
          lost.sort((a, b) => a - b);
          // a run of lost probes lasts from its first probe to the next answered one (or the end)
          let longest = 0;
          for (let i = 0; i < lost.length; ) {
            let j = i;
            while (j + 1 < lost.length && lost[j + 1] === lost[j] + 1) j++;
            const end = lost[j] + 1 < sent ? starts[lost[j] + 1] : performance.now() - started;
            longest = Math.max(longest, end - starts[lost[i]]);
            i = j + 1;
          }
          console.log(JSON.stringify({ sent, answered, lost, holders, longestGapMs: Math.round(longest) }));
        };
        report();
      });
      console.log(JSON.stringify('probing'));`,
    );
    await child.until((v) => v === 'probing');
    return new Prober(child);
  }

  /** Stops probing and reports once every outstanding probe has finished. */
  async finish(): Promise<ProbeReport> {
    this.child.write('report\n');
    const report = (await this.child.next(10_000)) as ProbeReport;
    this.child.kill();
    return report;
  }
}
