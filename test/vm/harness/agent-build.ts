/**
 * The guest runs the host's plain node, which cannot load TypeScript: TypeScript meant to run in
 * the guest is transpiled on the host, file by file (no type checking; tsc does that), keeping
 * the files' relative layout so their relative imports still resolve.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';

/**
 * Transpiles `sources` (paths relative to `root`) into `outDir` at the same relative paths, as
 * ES modules (.ts becomes .js), and marks `outDir` as holding ES modules.
 */
export function transpileForGuest(root: string, sources: string[], outDir: string): void {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n');
  for (const source of sources) {
    const output = ts.transpileModule(readFileSync(join(root, source), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
      fileName: source,
    });
    const target = join(outDir, source.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, output.outputText);
  }
}

/** Transpiles the agent and the protocol module it imports; returns the agent's path. */
export function buildAgent(vmDir: string, outDir: string): string {
  transpileForGuest(vmDir, ['guest/agent.ts', 'harness/protocol.ts'], outDir);
  return join(outDir, 'guest', 'agent.js');
}
