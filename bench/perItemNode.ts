/**
 * The baseline: what a workflow without this package does — one HTTP request per item, one
 * number per request, the way n8n's HTTP Request node does it (n8n-nodes-base is not a
 * dependency here: ~90 runtime dependencies, hundreds of MB). Each request is an n8n
 * `this.helpers.httpRequest` POST with the same form body as the node's (user, pass, msisdn,
 * format=json). Concurrency is capped like HTTP Request's batching set to "C items per batch":
 * C requests go out, and the next C only once those have answered, so the account never holds
 * more than C connections. (HTTP Request itself only sleeps a fixed interval between batches; a
 * user would have to set that interval above the latency to stay within the limit, so this
 * baseline is, if anything, faster than the real node.)
 */
import {
	NodeApiError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type JsonObject,
} from 'n8n-workflow';

export class PerItemRequestNode implements INodeType {
	description = {
		displayName: 'Per-Item HTTP Request (baseline)',
		name: 'perItemHttpRequest',
		group: ['transform'],
		version: 1,
		description: 'One POST per item, one number per request, at most C at once',
		defaults: { name: 'Per-Item HTTP Request' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'numberPortabilityLookupApi', required: true }],
		properties: [
			{ displayName: 'Phone Number', name: 'phoneNumber', type: 'string', default: '' },
			{ displayName: 'Items per Batch', name: 'batchSize', type: 'number', default: 5 },
		],
	} as unknown as INodeTypeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const credential = await this.getCredentials('numberPortabilityLookupApi');
		const batchSize = Math.max(1, Number(this.getNodeParameter('batchSize', 0, 5)));
		const out: INodeExecutionData[] = new Array<INodeExecutionData>(items.length);

		const send = async (itemIndex: number): Promise<void> => {
			const phone = String(this.getNodeParameter('phoneNumber', itemIndex)).replace(/\D/g, '');
			const body = new URLSearchParams({
				user: String(credential.user),
				pass: String(credential.password),
				msisdn: phone,
				format: 'json',
			}).toString();
			let answer: unknown;
			try {
				answer = await this.helpers.httpRequest({
					method: 'POST',
					url: String(credential.baseUrl),
					body,
					headers: { 'content-type': 'application/x-www-form-urlencoded' },
					json: true,
				});
			} catch (error) {
				throw new NodeApiError(this.getNode(), error as JsonObject, { itemIndex });
			}
			const first = Array.isArray(answer) ? (answer[0] as IDataObject | undefined) : undefined;
			out[itemIndex] = {
				json: first ?? { answer: answer as string },
				pairedItem: { item: itemIndex },
			};
		};

		for (let start = 0; start < items.length; start += batchSize) {
			const batch: Array<Promise<void>> = [];
			for (let i = start; i < Math.min(items.length, start + batchSize); i++) batch.push(send(i));
			await Promise.all(batch);
		}
		return [out];
	}
}
