import type {
	IAuthenticate,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { checkBaseUrl, DEFAULT_BASE_URL } from '../engine/protocol/baseUrl';

/**
 * The account of the Number Portability Lookup HLR API. Declared identically in both n8n
 * packages (verified and queue mode), so either can use a credential the other saved: n8n keeps
 * one definition per credential name, the last one loaded.
 */
export class NumberPortabilityLookupApi implements ICredentialType {
	name = 'numberPortabilityLookupApi';

	displayName = 'Number Portability Lookup API';

	icon: Icon = {
		light: 'file:../icons/numberPortabilityLookup.svg',
		dark: 'file:../icons/numberPortabilityLookup.dark.svg',
	};

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-number-portability-lookup#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			required: true,
			description: 'Your account username',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: "Your account password, sent as the API's pass parameter in the request body",
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			description:
				'The API endpoint. Change it only for a proxy or the local sandbox; plain http:// is accepted for localhost only.',
		},
	];

	/**
	 * The user and password go in the form body, never the URL; and never to a Base URL that
	 * would carry them unencrypted (plain http:// to another machine): that request is refused,
	 * saying what to change, whoever makes it (the node, the credential test, the HTTP Request node).
	 */
	authenticate: IAuthenticate = async (credentials, requestOptions) => {
		checkBaseUrl(requestOptions.url);
		const body = typeof requestOptions.body === 'object' && requestOptions.body !== null ? requestOptions.body : {};
		return {
			...requestOptions,
			body: { ...body, user: String(credentials.user ?? ''), pass: String(credentials.password ?? '') },
		};
	};

	/**
	 * Asks for the balance. The service answers its errors as plain text with HTTP 200, and n8n's
	 * rules can compare one value of the answer only: a character at a fixed place tells them
	 * apart ("FAIL Invalid password" has its "v" at 7; "FAIL …", "ERR …" and an HTML page start
	 * with F, E, <). A balance (a number, "OK 12.5" or JSON) matches none.
	 */
	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			url: `={{ $credentials.baseUrl || "${DEFAULT_BASE_URL}" }}`,
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: { query: 'balance' },
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: '7',
					value: 'v',
					message:
						'The service refused the credential (FAIL Invalid password). Check the user and password in the Number Portability Lookup API credential.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: '0',
					value: 'F',
					message:
						'The service refused the account (its answer began with FAIL). Check the user and password, and the credit on the account.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: '0',
					value: 'E',
					message:
						'The service refused the connection (ERR RATE_LIMIT_EXCEEDED): too many connections for this account. Try again when other workflows using the account are done.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: '0',
					value: '<',
					message:
						'The Base URL answered with a web page, not the Number Portability Lookup API. Check the Base URL.',
				},
			},
		],
	};
}
