/**
 * Runs the node inside n8n's own execution engine (n8n-core WorkflowExecute), the way n8n
 * runs it for users: the package as shipped (its bundle in dist/, test/harness/packages.ts),
 * parameters resolved by n8n (expressions included), dynamic outputs, credentials applied to
 * each request by the credential's own `authenticate`, continue-on-fail handling, pairedItem
 * checks. Modelled on n8n's unpublished nodes-testing harness; small on purpose.
 */
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	ICredentialsHelper,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeProperties,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IRunExecutionData,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
	type NodeExecutionHint,
} from 'n8n-workflow';

import { loadPackage, type PackageName, type PackageUnderTest } from './packages';

export const NODE_NAME = 'Number Portability Lookup';

/** The workflow's first node: passes on the items the test gives it. */
class TestItemsNode implements INodeType {
	description = {
		displayName: 'Test Items',
		name: 'testItems',
		group: ['input'],
		version: 1,
		description: 'Emits the items of the test',
		defaults: { name: 'Test Items' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

/** n8n's node type name for the package's node: prefixed with the package name. */
export const nodeTypeOf = (pkg: PackageUnderTest) => `${pkg.npmName}.numberPortabilityLookup`;

function nodeTypesFor(pkg: PackageUnderTest, replacement?: INodeType): INodeTypes {
	const type = nodeTypeOf(pkg);
	const instances: Record<string, INodeType> = {
		[type]: replacement ?? pkg.node,
		'test.items': new TestItemsNode(),
	};
	return {
		getByName: (name) => instances[name],
		getByNameAndVersion: (name) => instances[name],
		getKnownTypes: () => ({}),
	} as INodeTypes;
}

class TestCredentialsHelper extends ICredentialsHelper {
	/** How often n8n read the credential for the node (n8n itself: a database query each time). */
	reads = 0;

	constructor(
		private readonly data: ICredentialDataDecryptedObject | undefined,
		private readonly pkg: PackageUnderTest,
	) {
		super();
	}
	getParentTypes(): string[] {
		return [];
	}
	isCredentialUsableByNode(): boolean {
		return true;
	}
	/** As n8n's own: the credential's `authenticate` function gets the request and returns it signed. */
	async authenticate(credentials: ICredentialDataDecryptedObject, _t: string, options: IHttpRequestOptions) {
		const { authenticate } = this.pkg.credential;
		if (typeof authenticate !== 'function') throw new Error('The credential has no authenticate function');
		return await authenticate(credentials, options);
	}
	async preAuthentication() {
		return undefined;
	}
	async runPreAuthentication() {
		return undefined;
	}
	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used by this node');
	}
	async getDecrypted(): Promise<ICredentialDataDecryptedObject> {
		if (!this.data) throw new Error('The test gave no credential');
		this.reads++;
		return this.data;
	}
	async updateCredentials() {}
	async updateCredentialsOauthTokenData() {}
	getCredentialsProperties(): INodeProperties[] {
		return [];
	}
}

/** What n8n hands a node besides its parameters: credentials, hooks, URLs. */
export function additionalDataFor(
	pkg: PackageUnderTest,
	credential: ICredentialDataDecryptedObject | undefined,
	hooks?: ExecutionLifecycleHooks,
): IWorkflowExecuteAdditionalData {
	return {
		hooks,
		executionId: 'test-execution',
		variables: {},
		credentialsHelper: new TestCredentialsHelper(credential, pkg),
		restApiUrl: 'http://127.0.0.1/rest',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		instanceBaseUrl: 'http://127.0.0.1/',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		currentNodeParameters: undefined,
		userId: 'test-user',
		setExecutionStatus: () => {},
		sendDataToUI: () => {},
		logAiEvent: () => {},
		getRunExecutionData: async () => undefined,
	} as unknown as IWorkflowExecuteAdditionalData;
}

export interface NodeRunOptions {
	items: IDataObject[];
	parameters: INodeParameters;
	credential?: { user: string; password: string; baseUrl: string };
	/** n8n's per-node error setting; 'continueRegularOutput' is "continue on fail". */
	onError?: INode['onError'];
	/**
	 * Runs this node type in place of Number Portability Lookup, under the same node name and
	 * credential (the benchmark's one-request-per-number baseline). Default: our node.
	 */
	nodeType?: INodeType;
	/** Which package's bundle runs (test/harness/packages.ts); default: NPL_TEST_PACKAGE, else verified. */
	package?: PackageName;
}

export interface NodeRun {
	/** Items per output of the node, by output index; empty when the node failed. */
	outputs: INodeExecutionData[][];
	/** The node's error, when it threw (message and description as n8n shows them). */
	error?: { message: string; description?: string | null; name?: string };
	status: IRun['status'];
	/** What the node put in its output pane (execution hints). */
	hints: NodeExecutionHint[];
	/** How often n8n read the credential during the run (getCredentials and the HTTP helper). */
	credentialReads: number;
	run: IRun;
}

/** Runs Test Items → Number Portability Lookup once and returns what the node produced. */
export async function runNode(options: NodeRunOptions): Promise<NodeRun> {
	return await startNodeRun(options).result;
}

/** A run under way, which can be stopped the way n8n's editor stops one. */
export interface StartedNodeRun {
	/** Cancels the run WorkflowExecute returned: the Stop button, a timeout and a queue-mode stop all do this. */
	cancel(): void;
	/** Settles once the node's own promise has: n8n's engine settles only then, even after a cancel. */
	readonly settled: Promise<void>;
	/** What the run produced, once settled. */
	readonly result: Promise<NodeRun>;
}

export function startNodeRun(options: NodeRunOptions): StartedNodeRun {
	const pkg = loadPackage(options.package);
	const NODE_TYPE = nodeTypeOf(pkg);
	const nodes: INode[] = [
		{ id: 'start', name: 'Test Items', type: 'test.items', typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: 'npl',
			name: NODE_NAME,
			type: NODE_TYPE,
			typeVersion: 1,
			position: [200, 0],
			parameters: options.parameters,
			credentials: { numberPortabilityLookupApi: { id: '1', name: 'NPL test account' } },
			...(options.onError ? { onError: options.onError } : {}),
		},
	];
	const connections = { 'Test Items': { main: [[{ node: NODE_NAME, type: 'main' as const, index: 0 }]] } };
	const runNodeTypes = nodeTypesFor(pkg, options.nodeType);
	const workflow = new Workflow({ id: 'test', nodes, connections, active: false, nodeTypes: runNodeTypes });

	const workflowData = { id: 'test', name: 'test', nodes, connections } as unknown as IWorkflowBase;
	const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', workflowData);
	let finished!: (run: IRun) => void;
	const done = new Promise<IRun>((resolve) => (finished = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => finished(run));

	const additionalData = additionalDataFor(pkg, options.credential, hooks);
	const credentials = additionalData.credentialsHelper as TestCredentialsHelper;

	const runExecutionData: IRunExecutionData = {
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			waitingExecution: {},
			waitingExecutionSource: null,
			nodeExecutionStack: [
				{
					node: workflow.getNode('Test Items')!,
					data: { main: [options.items.map((json) => ({ json }))] },
					source: null,
				},
			],
		},
	} as unknown as IRunExecutionData;

	const execution = new WorkflowExecute(additionalData, 'manual', runExecutionData).processRunExecutionData(workflow);
	const settled = Promise.resolve(execution).then(() => undefined);
	const result = settled.then(async () => {
		const run = await done;
		const taskData = run.data.resultData.runData[NODE_NAME]?.[0];
		const error = taskData?.error ?? run.data.resultData.error;
		return {
			outputs: (taskData?.data?.main ?? []).map((items: INodeExecutionData[] | null) => items ?? []),
			error: error
				? { message: error.message, description: (error as { description?: string | null }).description, name: error.name }
				: undefined,
			status: run.status,
			hints: taskData?.hints ?? [],
			credentialReads: credentials.reads,
			run,
		};
	});
	return { cancel: () => execution.cancel(), settled, result };
}
