import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { router } from './actions/router';
import * as getBalance from './actions/getBalance.operation';
import * as lookup from './actions/lookup.operation';
import * as lookupMany from './actions/lookupMany.operation';
import * as validate from './actions/validate.operation';
import { OUTPUTS_EXPRESSION } from './helpers/outputs';

export class NumberPortabilityLookup implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Number Portability Lookup',
		name: 'numberPortabilityLookup',
		icon: {
			light: 'file:../../icons/numberPortabilityLookup.svg',
			dark: 'file:../../icons/numberPortabilityLookup.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] }}',
		description:
			'Live HLR lookups: the real (ported) carrier, reachability and validity of phone numbers',
		defaults: { name: 'Number Portability Lookup' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: OUTPUTS_EXPRESSION,
		credentials: [
			{
				name: 'numberPortabilityLookupApi',
				required: true,
				displayOptions: { show: { operation: ['lookup', 'lookupMany', 'getBalance'] } },
			},
		],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Look Up Number',
						value: 'lookup',
						action: 'Look up a phone number',
						description: 'One number per item: carrier, porting, reachability (1 credit each)',
					},
					{
						name: 'Look Up Numbers',
						value: 'lookupMany',
						action: 'Look up a list of phone numbers',
						description: 'A list of numbers per item: one output item per number',
					},
					{
						name: 'Get Balance',
						value: 'getBalance',
						action: 'Get the account balance',
						description: 'The credits left on the account',
					},
					{
						name: 'Validate Offline',
						value: 'validate',
						action: 'Validate a phone number offline',
						description: 'Format, country and type from phone metadata: no request, no credit',
					},
				],
				default: 'lookup',
			},
			...lookup.description,
			...lookupMany.description,
			...getBalance.description,
			...validate.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
