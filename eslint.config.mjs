import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';

// n8n's community-node rules, without the Cloud-verification set: this package has runtime
// dependencies (undici, libphonenumber-js) and reads proxy settings from the environment,
// which Cloud forbids (README "Compatibility").
export default [
	...configWithoutCloudSupport,
	{ ignores: ['dist/**', 'node_modules/**', '.e2e/**', '.scratch/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
	{
		// Tools around the package (sandbox CLI, tests, benchmark, scripts), not the package.
		files: ['sandbox/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'e2e/**/*.ts'],
		// They talk to a terminal, and start sandboxes and n8n in child processes on purpose.
		rules: { 'no-console': 'off', '@n8n/community-nodes/no-dangerous-functions': 'off' },
	},
	{
		// The engine and transport have no n8n node to hand (the engine imports nothing of n8n);
		// their errors are typed, and actions/ wraps them in NodeApiError / NodeOperationError.
		files: ['nodes/**/engine/**/*.ts', 'nodes/**/transport/**/*.ts'],
		rules: { '@n8n/community-nodes/require-node-api-error': 'off' },
	},
	{
		files: ['package.json'],
		rules: {
			// DESIGN §4: undici and libphonenumber-js are runtime dependencies on purpose (one
			// connection budget per account, phone metadata); the package is for self-hosted n8n.
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
		},
	},
];
