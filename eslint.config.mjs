// Lint guards the layers: shared code is pure TypeScript, only src/main/electron touches Electron,
// and the renderer never reaches into main (it talks to it through the contract).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'child_process',
  'worker_threads',
  'crypto',
  'http',
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'build/**',
      'dist/**',
      'release/**',
      'coverage/**',
      // Written by flatc (npm run generate:tflite-schema), kept as it writes it.
      'src/main/ml-host/tflite/fbs/generated/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-definitions': ['error', 'type'],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-exports': ['error', { restrictDefaultExports: { direct: true } }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'src/shared is platform-free: no Node built-ins.' },
            {
              group: ['electron', 'react', 'react-dom', '**/main/**', '**/renderer/**'],
              message: 'src/shared imports nothing from main, renderer, Electron or React.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**/*.ts', 'src/renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: nodeBuiltins,
              message: 'The renderer runs in a browser sandbox: no Node built-ins.',
            },
            {
              group: ['electron', '**/main/**'],
              message: 'The renderer reaches main only through the contract client.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/electron/**', 'src/main/preload/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron'],
              message: 'Only src/main/electron and src/main/preload import electron.',
            },
            { group: ['**/renderer/**'], message: 'main never imports the renderer.' },
          ],
        },
      ],
    },
  },
  // Layers inside main (the typescript-eslint rule, so the base rule's patterns above still apply):
  //   platform  the lowest Node layer: the library database connection, image rendering, the
  //             backbone folder and model bundle formats; it imports only src/shared and packages
  //   ml-host   the ML host process; it may use platform, never the core or a door
  //   core, cli, server, electron, preload
  //             reach the ML host only through its client (ml-host/host). Type-only imports of the
  //             host's parameter and result types are allowed: they load no code.
  {
    files: ['src/main/platform/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.{1,2}/(.*/)?(core|ml-host|cli|server|electron|preload)(/|$)',
              message: 'src/main/platform is the lowest Node layer: it imports only src/shared.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/main/ml-host/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.{1,2}/(.*/)?(core|cli|server|electron|preload)(/|$)',
              message:
                'The ML host never imports the core or a door; move what both need to src/main/platform.',
            },
          ],
        },
      ],
    },
  },
  {
    files: [
      'src/main/core/**/*.ts',
      'src/main/cli/**/*.ts',
      'src/main/server/**/*.ts',
      'src/main/electron/**/*.ts',
      'src/main/preload/**/*.ts',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.{1,2}/(.*/)?ml-host/(?!host(/client)?$)',
              allowTypeImports: true,
              message:
                'Outside the ML host, reach it through its client (ml-host/host); shared code goes in src/main/platform.',
            },
          ],
        },
      ],
    },
  },
  {
    // node:test's describe/test return promises the runner itself awaits.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    rules: {
      ...tseslint.configs.disableTypeChecked.rules,
      // Plain JS launchers and configs: CommonJS require is how .cjs works; a config file exports default.
      '@typescript-eslint/no-require-imports': 'off',
      'no-restricted-exports': 'off',
    },
    languageOptions: {
      parserOptions: { projectService: false },
      globals: {
        process: 'readonly',
        console: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
      },
    },
  },
);
