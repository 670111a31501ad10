import {
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type IExecuteFunctions,
} from 'n8n-workflow';

import { checkBaseUrl } from '../../../engine/protocol/baseUrl';
import { ServiceClient, type ClientSettings } from '../../../engine/protocol/serviceClient';
import { hostClock, openServiceLink } from '../transport';
import type { HttpContext } from '../transport';

export const CREDENTIAL_NAME = 'numberPortabilityLookupApi';

/**
 * The engine's client for the credential's account, over this package's transport. A Base URL
 * the node must not use (not a URL, a password in it, plain http:// to another machine) is the
 * user's to fix: a NodeOperationError saying what to change, before anything is sent.
 */
export function openClient(
	ctx: HttpContext & Pick<IExecuteFunctions, 'getNode'>,
	credential: ICredentialDataDecryptedObject,
	settings: Omit<ClientSettings, 'secrets'>,
): ServiceClient {
	const user = String(credential.user ?? '');
	const password = String(credential.password ?? '');
	let url: URL;
	try {
		url = checkBaseUrl(String(credential.baseUrl ?? ''));
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), (error as Error).message);
	}
	const link = openServiceLink(ctx, { url, user, password, credential }, hostClock);
	return new ServiceClient(link, { ...settings, secrets: [password] });
}
