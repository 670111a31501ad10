import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { closeAllAccountConnections } from '../../nodes/NumberPortabilityLookup/transport/accountBudgets';
import { startSandbox } from '../../sandbox';
import type { SandboxOptionsInput } from '../../sandbox/options';

export type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

/** Starts a sandbox per test and closes it (and the node's pooled sockets) afterwards. */
export function useSandbox(): { start: (options?: SandboxOptionsInput) => Promise<Sandbox> } {
	const started: Sandbox[] = [];
	afterEach(async () => {
		await closeAllAccountConnections();
		await Promise.all(started.splice(0).map(async (sandbox) => await sandbox.close()));
	});
	return {
		start: async (options) => {
			const sandbox = await startSandbox(options);
			started.push(sandbox);
			return sandbox;
		},
	};
}

export const credentialFor = (sandbox: Sandbox, user = 'demo', password = 'demo') => ({
	user,
	password,
	baseUrl: sandbox.url,
});

export const jsonOf = (items: INodeExecutionData[]) => items.map((item) => item.json as IDataObject);
