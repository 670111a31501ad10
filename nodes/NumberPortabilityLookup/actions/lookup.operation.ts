import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { itemParameterReader } from '../helpers/itemParameter';
import { executeLookups } from '../helpers/lookupItems';
import { lookupOptions, phoneNumberProperty, routeByProperty } from './common.descriptions';

const showFor = { show: { operation: ['lookup'] } };

export const description: INodeProperties[] = [
	{
		...phoneNumberProperty(
			'The number to look up, in any common format. Numbers without a country code need Default Country (under Options).',
		),
		displayOptions: showFor,
	},
	{ ...routeByProperty, displayOptions: showFor },
	{ ...lookupOptions, displayOptions: showFor },
];

/** One number per item; exactly one output item per input item. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const phoneNumberOf = itemParameterReader(this, 'phoneNumber');
	return await executeLookups(this, (itemIndex) => [phoneNumberOf(itemIndex)]);
}
