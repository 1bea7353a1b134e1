import next from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

const config = [
  ...next,
  ...nextTs,
  { ignores: ['server/generated/**', '.next/**', '.data/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts'] },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // Prisma 7 compiles createMany's query plan on every call (its plan cache skips it): the app's
  // inserts of several rows go through server/insert-rows.ts, one prepared statement.
  {
    files: ['server/**/*.ts', 'inngest/**/*.ts', 'app/**/*.ts', 'app/**/*.tsx'],
    ignores: ['**/*.test.ts', 'server/testing/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['createMany', 'createManyAndReturn'].map((property) => ({ property, message: 'Use insertRows (server/insert-rows.ts): Prisma compiles a createMany plan on every call.' })),
      ],
    },
  },
  // Free text people type goes through the one text rule (text/optionalText in
  // server/api/schemas/common.ts): a bare z.string() in an input schema let a NUL reach
  // PostgreSQL (a 500) and a text-direction override be stored. Strings that are not prose
  // (passwords, tokens, codes) say why with an eslint-disable comment.
  {
    files: ['server/api/schemas/**/*.ts'],
    ignores: ['**/*.test.ts', 'server/api/schemas/common.ts', 'server/api/schemas/outputs.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='z'][callee.property.name='string']",
          message: 'Free text uses text()/optionalText() (server/api/schemas/common.ts); other strings use a common schema or say why they are not prose.',
        },
      ],
    },
  },
  // The dependency rule (STYLE.md): the domain knows no framework, API or UI; the local engine
  // is a standalone Inngest executor that knows nothing of the app it calls.
  {
    files: ['server/domain/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['next', 'next/*', 'next-auth', 'next-auth/*', '@trpc/*', 'react', 'react-dom', '@/app/*', '@/components/*', '@/server/api/*', '@/inngest/*'],
              message: 'server/domain imports no framework, API, UI or Inngest code: callers pass what it needs.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['inngest/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@/*', '!@/inngest', '@/inngest/*', '!@/inngest/engine', '!@/inngest/engine/*', '**/server/*', '**/app/*', '**/components/*'],
              message: 'The local engine imports nothing from the app (server/, app/, components/, the functions): it only calls the app over HTTP.',
            },
          ],
        },
      ],
    },
  },
];

export default config;
