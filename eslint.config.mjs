import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';

// n8n's community-node rules, without the Cloud-verification set: this package has runtime
// dependencies (undici, libphonenumber-js) and reads proxy settings from the environment,
// which Cloud forbids (README "Compatibility").
export default [
	...configWithoutCloudSupport,
	{ ignores: ['dist/**', 'node_modules/**', '.e2e/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
	{
		// Tools around the package (sandbox CLI, tests, benchmark, scripts) talk to a terminal.
		files: ['sandbox/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'e2e/**/*.ts'],
		rules: { 'no-console': 'off' },
	},
];
