/**
 * Two projects: every suite against the verified package (the default), and the in-process
 * behaviour suites once more against the queue-mode package, the same test source with its
 * transport (undici, the connection budget) underneath (test/harness/packages.ts).
 */
const common = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	// Type errors are caught by `npm run typecheck`; transpiling alone keeps the suites fast.
	transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
	// n8n-core writes ~/.n8n/config unless N8N_USER_FOLDER points elsewhere.
	setupFiles: ['<rootDir>/test/setup-env.js'],
};

/** @type {import('jest').Config} */
module.exports = {
	// A global option: projects do not take it.
	testTimeout: 60_000,
	projects: [
		{ ...common, displayName: 'verified', testMatch: ['**/*.test.ts'] },
		{
			...common,
			displayName: 'queue-mode',
			testMatch: ['<rootDir>/test/{node,faults,fuzz,secrets}/**/*.test.ts'],
			setupFiles: [...common.setupFiles, '<rootDir>/test/setup-queue-mode.js'],
		},
	],
};
