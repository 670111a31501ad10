/**
 * The credential's test as n8n's editor runs it ("Retry" in the credential dialog): its declarative
 * request through n8n's RoutingNode, signed by the credential's own `authenticate`, then its rules
 * on the answer. Mirrors what n8n's CredentialsTester does with a `test` request (n8n's cli
 * package, not published for tests); the real one is exercised by the browser test.
 */
import { ExecuteContext, RoutingNode } from 'n8n-core';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type INode,
	type INodeCredentialTestResult,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IRunExecutionData,
} from 'n8n-workflow';

import { additionalDataFor } from './n8nEngine';
import { loadPackage, type PackageName } from './packages';

/** lodash's get for the one-segment keys the rules use. */
const valueAt = (data: unknown, key: string): unknown =>
	data === null || data === undefined ? undefined : (data as Record<string, unknown>)[key];

export async function testCredential(
	data: ICredentialDataDecryptedObject,
	packageName?: PackageName,
): Promise<INodeCredentialTestResult> {
	const pkg = loadPackage(packageName);
	const { name, test } = pkg.credential;
	if (!test) throw new Error(`The credential ${name} has no test request`);
	const nodeType = {
		description: {
			displayName: 'Temp',
			name: 'temp',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: {},
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name, required: true }],
			properties: [{ displayName: 'Temp', name: 'temp', type: 'string', routing: { request: test.request }, default: '' }],
		},
	} as unknown as INodeType;
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'temp',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [name]: { id: '1', name: 'test' } },
	};
	const nodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	} as unknown as INodeTypes;
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const context = new ExecuteContext(
		workflow,
		node,
		additionalDataFor(pkg, data),
		'internal',
		{ resultData: { runData: {} } } as unknown as IRunExecutionData,
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	let response: INodeExecutionData[][] | null | undefined;
	try {
		response = await new RoutingNode(context, nodeType, { id: '1', name: 'test', type: name, data }).runNode();
	} catch (error) {
		const cause = (error as { cause?: { response?: { status: number; statusText?: string }; code?: string } }).cause;
		if (cause?.response) {
			const { status, statusText } = cause.response;
			if (status < 199 || status > 299) {
				return { status: 'Error', message: statusText || `Received HTTP status code: ${status}` };
			}
		} else if (cause?.code) {
			return { status: 'Error', message: cause.code };
		}
		return { status: 'Error', message: (error as Error).message };
	}
	const body = response?.[0]?.[0]?.json;
	for (const rule of test.rules ?? []) {
		if (rule.type !== 'responseSuccessBody') continue;
		if (valueAt(body, String(rule.properties.key)) === rule.properties.value) {
			return { status: 'Error', message: String(rule.properties.message) };
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}
