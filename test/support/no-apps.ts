import type { AppDirectory } from '../../lambdas/core/app-directory';

/** An app directory for tests of other routes: no apps. */
export const NO_APPS: AppDirectory = { apps: async () => [] };
