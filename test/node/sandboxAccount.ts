import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import type { SandboxOptionsInput } from '../../sandbox/options';
import { closeLoadedPackages } from '../harness/packages';

export type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

/** Starts a sandbox per test and closes it (and the node's pooled sockets) afterwards. */
export function useSandbox(): { start: (options?: SandboxOptionsInput) => Promise<Sandbox> } {
	const started: Sandbox[] = [];
	afterEach(async () => {
		await closeLoadedPackages();
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
