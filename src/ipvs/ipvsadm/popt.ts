/**
 * The slice of popt 1.19's option scanning that ipvsadm relies on, so that option clusters
 * (`-Ln`, `-At1.2.3.4:80`), `--long=value`, `-s=rr`, optional arguments (`-p`, `-p 600`,
 * `-p600`), leftovers and `--` behave, and fail, exactly as in Debian's ipvsadm.
 */

export type ArgKind = 'none' | 'string' | 'optional';

export interface OptionSpec {
  readonly long: string;
  readonly short?: string;
  readonly arg: ArgKind;
  /** What the scanner reports when it meets this option. */
  readonly tag: string;
}

export type PoptError = 'missing argument' | 'unknown option' | 'option does not take an argument';

export type ScanStep =
  { readonly kind: 'option'; readonly tag: string; readonly arg: string | null } | { readonly kind: 'end' } | { readonly kind: 'error'; readonly error: PoptError; readonly badOption: string };

export class PoptScanner {
  private next = 0;
  private nextCharArg: string | null = null;
  private restLeftover = false;
  private readonly leftovers: string[] = [];
  private leftoverIndex = 0;

  constructor(
    private readonly table: readonly OptionSpec[],
    private readonly args: readonly string[],
  ) {}

  /** poptBadOption: the argument the scanner consumed last. */
  badOption(): string {
    return this.args[this.next - 1] ?? '';
  }

  /** poptGetArg: the next leftover (non-option) argument. */
  leftover(): string | null {
    return this.leftovers[this.leftoverIndex++] ?? null;
  }

  nextOption(): ScanStep {
    for (;;) {
      let opt: OptionSpec | undefined;
      let longArg: string | null = null;
      if (this.nextCharArg === null) {
        if (this.next >= this.args.length) return { kind: 'end' };
        const word = this.args[this.next++] as string;
        if (this.restLeftover || !word.startsWith('-') || word === '-') {
          this.leftovers.push(word);
          continue;
        }
        if (word === '--') {
          this.restLeftover = true;
          continue;
        }
        const doubleDash = word.startsWith('--');
        const body = word.slice(doubleDash ? 2 : 1);
        const eq = body.indexOf('=');
        const name = eq >= 0 ? body.slice(0, eq) : body;
        if (eq >= 0) longArg = body.slice(eq + 1);
        // Long names match only after two dashes: no table entry here is marked one-dash.
        opt = doubleDash ? this.table.find((o) => o.long === name) : undefined;
        if (!opt && doubleDash) return this.fail('unknown option');
        if (!opt) {
          this.nextCharArg = word.slice(1);
          longArg = null;
        }
      }
      if (this.nextCharArg !== null) {
        const cluster = this.nextCharArg;
        this.nextCharArg = null;
        const letter = cluster[0] ?? '';
        opt = this.table.find((o) => o.short === letter);
        if (!opt) return this.fail('unknown option');
        const rest = cluster.slice(1);
        if (rest !== '') this.nextCharArg = rest;
      }
      if (!opt) return this.fail('unknown option');
      if (opt.arg === 'none') {
        if (longArg !== null || (this.nextCharArg !== null && this.nextCharArg.startsWith('='))) {
          return this.fail('option does not take an argument');
        }
        return { kind: 'option', tag: opt.tag, arg: null };
      }
      let arg: string | null;
      if (longArg !== null) {
        arg = longArg;
      } else if (this.nextCharArg !== null) {
        const cluster = this.nextCharArg;
        arg = cluster.startsWith('=') ? cluster.slice(1) : cluster;
        this.nextCharArg = null;
      } else if (this.next >= this.args.length) {
        if (opt.arg !== 'optional') return this.fail('missing argument');
        arg = null;
      } else if (opt.arg === 'optional' && (this.args[this.next] as string).startsWith('-')) {
        arg = null;
      } else {
        arg = this.args[this.next++] as string;
      }
      return { kind: 'option', tag: opt.tag, arg };
    }
  }

  private fail(error: PoptError): ScanStep {
    return { kind: 'error', error, badOption: this.badOption() };
  }
}
