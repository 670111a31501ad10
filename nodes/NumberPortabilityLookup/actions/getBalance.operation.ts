import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type JsonObject,
} from 'n8n-workflow';

import { ServiceRequestError } from '../../../engine/protocol/serviceClient';
import { CREDENTIAL_NAME, openClient } from '../helpers/account';

const showFor = { show: { operation: ['getBalance'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor,
		options: [
			{
				displayName: 'Low Balance Threshold',
				name: 'lowBalanceThreshold',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 100,
				description:
					'Adds belowThreshold: true when the balance is under this many credits, for an If node to alert on',
			},
		],
	},
];

/** One balance request per execution, whatever the number of input items: one output item. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const client = openClient(this, await this.getCredentials(CREDENTIAL_NAME), {
		includeMsc: false,
		timeoutMs: 30_000,
	});
	const pairedItem = items.map((_, item) => ({ item }));
	let json: IDataObject;
	try {
		const balance = await client.balance(this.getExecutionCancelSignal?.());
		json = { balance };
		if (typeof options.lowBalanceThreshold === 'number') {
			json.lowBalanceThreshold = options.lowBalanceThreshold;
			json.belowThreshold = balance < options.lowBalanceThreshold;
		}
	} catch (error) {
		if (!(error instanceof ServiceRequestError)) throw new NodeOperationError(this.getNode(), error as Error);
		if (!this.continueOnFail()) {
			throw new NodeApiError(this.getNode(), { message: error.message } as JsonObject, {
				message: 'Could not get the account balance',
				description: error.message,
			});
		}
		json = { error: error.message };
	}
	return [[{ json, pairedItem }]];
}
