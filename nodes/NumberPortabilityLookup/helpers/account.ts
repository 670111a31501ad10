import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type { Account } from '../transport/serviceClient';

export const CREDENTIAL_NAME = 'numberPortabilityLookupApi';

/** The credential's fields as the transport wants them. */
export function toAccount(credential: ICredentialDataDecryptedObject): Account {
	return {
		baseUrl: String(credential.baseUrl ?? ''),
		user: String(credential.user ?? ''),
		password: String(credential.password ?? ''),
	};
}
