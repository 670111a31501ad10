/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	// Type errors are caught by `npm run typecheck`; transpiling alone keeps the suites fast.
	transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
	// n8n-core writes ~/.n8n/config unless N8N_USER_FOLDER points elsewhere.
	setupFiles: ['<rootDir>/test/setup-env.js'],
	testTimeout: 60_000,
};
