import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { validateOffline } from '../../../engine/numbers/offlineValidation';
import { itemParameterReader } from '../helpers/itemParameter';
import { defaultCountryOption, phoneNumberProperty } from './common.descriptions';

const showFor = { show: { operation: ['validate'] } };

export const description: INodeProperties[] = [
	{
		...phoneNumberProperty('The number to check. Nothing is sent and no credit is spent.'),
		displayOptions: showFor,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor,
		options: [defaultCountryOption],
	},
];

/** Offline check with libphonenumber-js metadata: format, country and type, no request. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const defaultCountry = (options.defaultCountry as string) || undefined;
	const phoneNumberOf = itemParameterReader(this, 'phoneNumber');
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const input = phoneNumberOf(itemIndex);
		output.push({
			json: { input: input ?? null, ...validateOffline(input, defaultCountry) } as IDataObject,
			pairedItem: { item: itemIndex },
		});
	}
	return [output];
}
