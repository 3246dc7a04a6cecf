/**
 * The guest runs the agent with the host's plain node, which cannot load TypeScript: transpile the
 * agent and the protocol module it imports into the run directory, keeping their relative layout.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';

const SOURCES = ['guest/agent.ts', 'harness/protocol.ts'];

/** Returns the path of the transpiled agent under `outDir`. */
export function buildAgent(vmDir: string, outDir: string): string {
  writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n');
  for (const source of SOURCES) {
    const output = ts.transpileModule(readFileSync(join(vmDir, source), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
      fileName: source,
    });
    const target = join(outDir, source.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, output.outputText);
  }
  return join(outDir, 'guest', 'agent.js');
}
