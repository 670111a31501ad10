import { config } from '@n8n/node-cli/eslint';

// n8n's community-node rules with the Cloud-verification set (the "strict" config): the verified
// package (nodes/, credentials/ and the engine/ they bundle) takes no rule off. The rest of the
// repository is not in that package, and says below which rules it is exempt from and why.
export default [
	...config,
	{ ignores: ['dist/**', 'packages/*/dist/**', 'node_modules/**', '.e2e/**', '.scratch/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
	{
		// Tools around the packages (sandbox CLI, tests, benchmark, scripts): never shipped.
		files: ['sandbox/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'e2e/**/*.ts'],
		// They talk to a terminal, start sandboxes and n8n in child processes, read the
		// environment, use timers and Node's modules, and import the transport and undici on purpose;
		// tests load the built packages with require(), as n8n does.
		rules: {
			'@typescript-eslint/no-require-imports': 'off',
			'no-console': 'off',
			'@n8n/community-nodes/no-dangerous-functions': 'off',
			'@n8n/community-nodes/no-restricted-globals': 'off',
			'@n8n/community-nodes/no-restricted-imports': 'off',
			'@n8n/community-nodes/require-node-api-error': 'off',
		},
	},
	{
		// The undici transport and the Redis budget, for the packages that may have dependencies and
		// timers (queue mode, Node-RED); the verified package never imports them (the scan proves it).
		files: ['transport/**/*.ts', 'packages/queue-mode/**/*.ts'],
		rules: {
			'@n8n/community-nodes/no-restricted-globals': 'off',
			'@n8n/community-nodes/no-restricted-imports': 'off',
			'@n8n/community-nodes/require-node-api-error': 'off',
		},
	},
	{
		// The Node-RED package: a Node-RED host, not the verified n8n package. It may use Node's
		// timers (the collection window, status throttling, close time limits) and undici, and its
		// errors are Node-RED's (done(error)), not n8n's NodeApiError.
		files: ['node-red/**/*.ts'],
		rules: {
			'@n8n/community-nodes/no-restricted-globals': 'off',
			'@n8n/community-nodes/no-restricted-imports': 'off',
			'@n8n/community-nodes/require-node-api-error': 'off',
		},
	},
	{
		// The engine has no n8n node to hand (it imports nothing of n8n): its errors are typed, and
		// the n8n node wraps them in NodeApiError / NodeOperationError where they reach the user.
		files: ['engine/**/*.ts'],
		rules: { '@n8n/community-nodes/require-node-api-error': 'off' },
	},
];
