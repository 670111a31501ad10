import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import * as getBalance from './getBalance.operation';
import * as lookup from './lookup.operation';
import * as lookupMany from './lookupMany.operation';
import * as validate from './validate.operation';

export const operations = { lookup, lookupMany, getBalance, validate };

export type Operation = keyof typeof operations;

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as Operation;
	const handler = operations[operation];
	if (!handler) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not known`);
	}
	return await handler.execute.call(this);
}
