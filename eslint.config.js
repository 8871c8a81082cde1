// ESLint: typescript-eslint's rules plus the layer rules of ARCHITECTURE.md, enforced here so a
// wrong import fails `npm test` (and CI) instead of relying on memory.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const layer = (folder) => [`**/${folder}`, `**/${folder}/**`];
const restrict = (paths, patterns, message) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: paths.map((name) => ({ name, message })),
      patterns: [{ group: patterns, message }],
    },
  ],
});

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'release/', 'bench/data/', '.tmp/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['common/**/*.ts'],
    rules: restrict(
      [...nodeBuiltins, 'electron', 'react', 'better-sqlite3', 'fastify'],
      [
        ...layer('main'),
        ...layer('renderer'),
        ...layer('preload'),
        ...layer('native'),
        ...layer('server'),
        'node:*',
      ],
      'common/ is pure TypeScript shared by desk and hub: no Node, DOM, Electron or other layers.',
    ),
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/electron/**'],
    rules: restrict(
      ['electron'],
      [...layer('renderer'), ...layer('preload'), ...layer('server')],
      'main/ imports common/ and native/ only; only main/electron and preload import electron.',
    ),
  },
  {
    files: ['main/electron/**/*.ts'],
    rules: restrict(
      [],
      [...layer('renderer'), ...layer('preload'), ...layer('server')],
      'main/electron imports main/, common/ and native/ only.',
    ),
  },
  {
    files: ['preload/**/*.ts'],
    ignores: ['preload/**/*.test.ts'],
    rules: restrict(
      nodeBuiltins,
      [...layer('main'), ...layer('renderer'), ...layer('native'), ...layer('server'), 'node:*'],
      'preload/ is contextBridge only: it imports electron and common/.',
    ),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrict(
        [...nodeBuiltins, 'electron', 'better-sqlite3', 'fastify'],
        [...layer('main'), ...layer('preload'), ...layer('native'), ...layer('server'), 'node:*'],
        'renderer/ never sees Node: it imports common/ only and talks to main through window.desk.',
      ),
    },
  },
  {
    files: ['server/**/*.ts'],
    rules: restrict(
      ['electron', 'better-sqlite3'],
      [...layer('main'), ...layer('renderer'), ...layer('preload'), ...layer('native')],
      'server/ (the hub) imports common/ only (and Node, and its own libraries).',
    ),
  },
  {
    // The recipient's portal page and the public verify page: plain browser scripts, served by the hub.
    files: ['server/portal/**/*.js', 'server/verify/**/*.js'],
    languageOptions: { globals: { ...globals.browser }, sourceType: 'script' },
  },
  {
    // Scripts, benchmarks and end-to-end tests talk to the terminal.
    files: ['scripts/**', 'bench/**', 'e2e/**', '*.config.*'],
    rules: { 'no-console': 'off' },
  },
);
