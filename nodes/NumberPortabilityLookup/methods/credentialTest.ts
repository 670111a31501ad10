import type {
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { toAccount } from '../helpers/account';
import { ServiceClient } from '../transport/serviceClient';

/** Asks for the balance through the node's own client: what passes here, works in the node. */
export async function numberPortabilityLookupApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	try {
		const client = new ServiceClient(toAccount(credential.data ?? {}), {
			includeMsc: false,
			timeoutMs: 15_000,
		});
		const balance = await client.balance();
		return { status: 'OK', message: `Connected: the account has ${balance} credits.` };
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	}
}
