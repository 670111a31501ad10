import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * The account of the Number Portability Lookup HLR API. The node tests it with its own client
 * (query=balance over the same connection budget), see methods/credentialTest.ts.
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
			default: 'https://api.numberportabilitylookup.com/npl',
			description:
				'The API endpoint. Change it only for a proxy or the local sandbox; plain http:// is accepted for localhost only.',
		},
	];
}
