// @ts-check
/**
 * The linter: typescript-eslint's recommended rules with type information, over src/, test/ and
 * bench/. `npm run lint` runs it with prettier --check; test/run-all.sh runs that before the tiers.
 */
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'build/', 'node_modules/', 'native/', 'test/vm/initramfs/', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['vitest.config.ts', 'eslint.config.js'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A leading underscore marks what destructuring drops on purpose (`const { id: _id, ...rest } = m`).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // Methods that implement a Promise-returning port (MemoryIpvsClient, test fakes) are async with
      // nothing to await, so that they fail by rejecting, as the real adapters do, never by throwing.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['test/**', 'bench/**'],
    rules: {
      // Tests read JSON vectors, fixtures and child-process output, which are `any` until the
      // assertions that follow check their shape.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // The -d dump is JSON walked by path in the dump tests.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['src/config/**', 'src/vrrp/**', 'src/ipvs/**', 'src/net/**', 'src/scripts/**', 'src/check/**', 'src/daemon/plan.ts', 'src/daemon/route-plan.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/linux/*'], message: 'pure code does not import the Linux adapters; take a port, or the types from src/net' }] }],
    },
  },
  {
    // Plain Node scripts (the guest side of the VM tier): no type information, Node's globals.
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly' } },
  },
);
