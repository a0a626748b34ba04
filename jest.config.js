/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  // dt-sql-parser is ESM-only: globalSetup bundles it to CommonJS, and the name maps to the bundle.
  globalSetup: '<rootDir>/test/support/bundle-dt-sql-parser.ts',
  moduleNameMapper: { '^dt-sql-parser$': '<rootDir>/.cache/dt-sql-parser.js' },
  testTimeout: 60000,
};
