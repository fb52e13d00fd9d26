// Lint is the layer police: engine → viz → ui, never upward.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import prettier from 'eslint-config-prettier';

const react = { group: ['react', 'react/*', 'react-dom', 'react-dom/*'], message: 'React belongs to src/ui only.' };
const d3 = { group: ['d3', 'd3-*'], message: 'd3 belongs to src/viz (and src/ui) only.' };
const katex = { group: ['katex', 'katex/*'], message: 'Math typesetting belongs to src/ui.' };
const upToViz = { group: ['**/viz', '**/viz/**'], message: 'The engine must not import the viz layer.' };
const upToUi = { group: ['**/ui', '**/ui/**'], message: 'Lower layers must not import the UI layer.' };
const testing = {
  group: ['**/testing', '**/testing/**'],
  message: 'src/engine/testing is test support (fuzzer, seeded adapters): only tests may import it.',
};
const engineRules = [react, d3, katex, upToViz, upToUi];
const vizRules = [react, katex, upToUi];
const domGlobals = ['window', 'document', 'localStorage', 'sessionStorage', 'HTMLElement'].map((name) => ({
  name,
  message: 'The engine runs in Node and in Workers: no DOM.',
}));

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'dist-*/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'public/**',
      'bench/results/**',
      'device-check-bundle/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Prettier wraps code at 120 columns but not comments: this wraps those too. Long strings,
      // template literals (page text, messages), URLs and regexes stay whole, so they stay greppable.
      'max-len': [
        'error',
        { code: 120, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreUrls: true, ignoreRegExpLiterals: true },
      ],
    },
  },
  {
    files: ['src/engine/**/*.ts', 'src/cli/**/*.ts', 'src/worker/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...engineRules, testing] }],
      'no-restricted-globals': ['error', ...domGlobals],
    },
  },
  {
    files: ['src/viz/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...vizRules, testing] }] },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}', 'src/bench/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: [testing] }] },
  },
  // Tests (and the test support itself) keep their layer's rules, without the testing one.
  {
    files: ['src/{engine,cli,worker}/**/*.test.ts', 'src/engine/testing/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: engineRules }] },
  },
  {
    files: ['src/viz/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: vizRules }] },
  },
  {
    files: ['src/ui/**/*.test.{ts,tsx}', 'src/bench/**/*.test.{ts,tsx}'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
);
