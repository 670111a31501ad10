/**
 * n8n's own floor for a one-number-per-item node: reads the Phone Number parameter (an
 * expression) for each item, as every such node must, and returns one item per input. The CPU
 * it costs inside n8n's engine is what any node pays before doing its own work.
 */
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

export class ParameterFloorNode implements INodeType {
	description = {
		displayName: 'Parameter Floor',
		name: 'parameterFloor',
		group: ['transform'],
		version: 1,
		description: 'Reads the phone number parameter of each item and returns the items',
		defaults: { name: 'Parameter Floor' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'numberPortabilityLookupApi', required: false }],
		properties: [{ displayName: 'Phone Number', name: 'phoneNumber', type: 'string', default: '' }],
	} as unknown as INodeTypeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const out: INodeExecutionData[] = new Array<INodeExecutionData>(items.length);
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			const phone = this.getNodeParameter('phoneNumber', itemIndex);
			out[itemIndex] = { json: { input: phone as string }, pairedItem: { item: itemIndex } };
		}
		return [out];
	}
}
