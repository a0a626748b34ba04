/**
 * Three projects: `unit` (fast, in-process: run it often with `npm run test:unit`), `cdk`
 * (synthesis and template assertions) and `e2e` (servers and child processes, `*.e2e.test.ts`).
 * `npm test` runs all three.
 */
const common = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  // dt-sql-parser is ESM-only: globalSetup bundles it to CommonJS, and the name maps to the bundle.
  globalSetup: '<rootDir>/test/support/bundle-dt-sql-parser.ts',
  moduleNameMapper: { '^dt-sql-parser$': '<rootDir>/.cache/dt-sql-parser.js' },
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/cdk/', '\\.e2e\\.test\\.ts$'],
    },
    { ...common, displayName: 'cdk', testMatch: ['<rootDir>/test/cdk/**/*.test.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e.test.ts'] },
  ],
};
