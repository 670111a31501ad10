import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { splitNumberList } from '../../../engine/numbers/splitNumberList';
import { itemParameterReader } from '../helpers/itemParameter';
import { executeLookups } from '../helpers/lookupItems';
import { lookupOptions, routeByProperty } from './common.descriptions';

const showFor = { show: { operation: ['lookupMany'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Phone Numbers',
		name: 'phoneNumbers',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'e.g. +44 7788 450450, +49 1512 3456789 or {{ $json.phones }}',
		description:
			'Several numbers: an array from an expression, or text separated by commas, semicolons or new lines',
		displayOptions: showFor,
	},
	{ ...routeByProperty, displayOptions: showFor },
	{ ...lookupOptions, displayOptions: showFor },
];

/** A list per item; one output item per number, each paired to the item that held it. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const phoneNumbersOf = itemParameterReader(this, 'phoneNumbers');
	return await executeLookups(this, (itemIndex) => {
		const value = phoneNumbersOf(itemIndex);
		const numbers = splitNumberList(value);
		// An item without a number still yields one item (on Invalid, saying so), never none.
		return numbers.length > 0 ? numbers : [value];
	});
}
