import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
	type JsonObject,
} from 'n8n-workflow';

import {
	readBalanceWatchState,
	watchBalance,
	type BalanceWatchState,
} from '../../engine/alerts/balanceWatch';
import { ServiceRequestError } from '../../engine/protocol/serviceClient';
import { CREDENTIAL_NAME, openClient } from '../NumberPortabilityLookup/helpers/account';

/** Where the alert's state lives in the workflow's static data for this node. */
const STATE_KEY = 'balanceWatch';

/**
 * Polls the account balance and starts the workflow once when it falls below a threshold, and
 * again only after it has been back at or above it (or, if asked, every N polls while it stays
 * low). n8n owns the schedule (Poll Times) and stores the state: the workflow's static data.
 */
export class NumberPortabilityLookupTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Number Portability Lookup Trigger',
		name: 'numberPortabilityLookupTrigger',
		icon: {
			light: 'file:../../icons/numberPortabilityLookup.svg',
			dark: 'file:../../icons/numberPortabilityLookup.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "Balance below " + $parameter["threshold"] }}',
		description: 'Starts the workflow when the account balance falls below a threshold',
		defaults: { name: 'Number Portability Lookup Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_NAME, required: true }],
		properties: [
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				required: true,
				options: [
					{
						name: 'Balance Below Threshold',
						value: 'balanceBelowThreshold',
						description:
							'Once when the balance falls below the threshold; again only after it has been back at or above it',
					},
				],
				default: 'balanceBelowThreshold',
			},
			{
				displayName: 'Threshold',
				name: 'threshold',
				type: 'number',
				typeOptions: { minValue: 0 },
				required: true,
				default: 100,
				description: 'Credits: the workflow starts when the balance falls below this',
				displayOptions: { show: { event: ['balanceBelowThreshold'] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				displayOptions: { show: { event: ['balanceBelowThreshold'] } },
				options: [
					{
						displayName: 'Remind Every N Polls',
						name: 'remindEveryPolls',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 0,
						description:
							'While the balance stays below the threshold, start the workflow again every this many polls. 0 never reminds.',
					},
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const threshold = this.getNodeParameter('threshold') as number;
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const remindEveryPolls = Number(options.remindEveryPolls ?? 0) || 0;
		if (typeof threshold !== 'number' || !Number.isFinite(threshold)) {
			throw new NodeOperationError(this.getNode(), 'The threshold must be a number of credits');
		}

		const client = openClient(this, await this.getCredentials(CREDENTIAL_NAME), {
			includeMsc: false,
			timeoutMs: 30_000,
		});
		let balance: number;
		try {
			balance = await client.balance();
		} catch (error) {
			if (!(error instanceof ServiceRequestError))
				throw new NodeOperationError(this.getNode(), error as Error);
			// Nothing is remembered: the next poll compares with the last balance actually read.
			throw new NodeApiError(this.getNode(), { message: error.message } as JsonObject, {
				message: 'Could not get the account balance',
				description: error.message,
			});
		}

		const staticData = this.getWorkflowStaticData('node');
		const previous = readBalanceWatchState(staticData[STATE_KEY]);
		const decision = watchBalance(previous, balance, { threshold, remindEveryPolls });
		const item = (previousBalance: number | null): INodeExecutionData[][] => [
			[{ json: { balance, threshold, previousBalance, checkedAt: new Date().toISOString() } }],
		];

		// The editor's "Fetch Test Event": show the balance now, whatever the state, and keep the state.
		if (this.getMode() === 'manual') return item(previous?.lastBalance ?? null);

		staticData[STATE_KEY] = { ...decision.next } satisfies BalanceWatchState;
		if (decision.fire === null) return null;
		return item(decision.previousBalance);
	}
}
