import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { executeLookups } from '../helpers/lookupItems';
import { lookupOptions, routeByProperty } from './common.descriptions';

const showFor = { show: { operation: ['lookup'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Phone Number',
		name: 'phoneNumber',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. +44 7788 450450 or {{ $json.phone }}',
		description:
			'The number to look up, in any common format. Numbers without a country code need Default Country (under Options).',
		displayOptions: showFor,
	},
	{ ...routeByProperty, displayOptions: showFor },
	{ ...lookupOptions, displayOptions: showFor },
];

/** One number per item; exactly one output item per input item. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await executeLookups(this, (itemIndex) => [this.getNodeParameter('phoneNumber', itemIndex)]);
}
