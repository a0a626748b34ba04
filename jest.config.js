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
  // dt-sql-parser and hyparquet are ESM-only: globalSetup bundles them to CommonJS, and the names map to the bundles.
  globalSetup: '<rootDir>/test/support/bundle-esm-packages.ts',
  moduleNameMapper: {
    '^dt-sql-parser$': '<rootDir>/.cache/dt-sql-parser.js',
    '^hyparquet$': '<rootDir>/.cache/hyparquet.js',
  },
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
