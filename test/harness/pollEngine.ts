/**
 * Runs the package's polling trigger the way n8n does between two ticks of its schedule: a new
 * n8n-core PollContext on the workflow, `poll()` called with it, a non-null answer emitted (it
 * would start an execution), and the workflow's static data saved when the poll changed it
 * (n8n keeps it, JSON, in its database: each poll here starts from that saved copy, so state that
 * only lived in memory would be lost, as on a restart). Mode 'manual' is the editor's "Fetch Test
 * Event" (WorkflowExecute's executePollNode: a PollContext in mode and activation 'manual').
 * Small on purpose, like n8nEngine.ts; the bundle is the package's built one (packages.ts).
 */
import { PollContext } from 'n8n-core';
import {
	Workflow,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
} from 'n8n-workflow';

import { additionalDataFor } from './n8nEngine';
import { loadPackage, type PackageName, type PackageUnderTest } from './packages';

export const TRIGGER_NAME = 'Balance Trigger';

export const triggerTypeOf = (pkg: PackageUnderTest) =>
	`${pkg.npmName}.numberPortabilityLookupTrigger`;

export interface PollerOptions {
	parameters: INodeParameters;
	credential?: { user: string; password: string; baseUrl: string };
	/** Which package's bundle runs; default: NPL_TEST_PACKAGE, else verified. */
	package?: PackageName;
	/** The static data n8n holds for the workflow at the start (default: none). */
	staticData?: IDataObject;
}

export interface PollResult {
	/** What poll() returned: the items of the execution it starts, or null when nothing fired. */
	items: IDataObject[] | null;
	/** What poll() threw (n8n would call __emitError, or fail the manual run). */
	error?: Error;
	/** Whether the poll changed the static data (n8n saves it only then). */
	staticDataChanged: boolean;
}

/** One active workflow with the trigger: poll it as often as n8n's schedule would. */
export class Poller {
	/** The workflow's static data as saved (plain JSON). */
	staticData: IDataObject;

	private readonly pkg: PackageUnderTest;

	constructor(private readonly options: PollerOptions) {
		this.pkg = loadPackage(options.package);
		this.staticData = structuredClone(options.staticData ?? {});
	}

	/** This workflow's state for the trigger node, as n8n stores it (`node:<node name>`). */
	get nodeStaticData(): IDataObject | undefined {
		return this.staticData[`node:${TRIGGER_NAME}`] as IDataObject | undefined;
	}

	async poll(mode: 'trigger' | 'manual' = 'trigger'): Promise<PollResult> {
		const type = triggerTypeOf(this.pkg);
		const node: INode = {
			id: 'trigger',
			name: TRIGGER_NAME,
			type,
			typeVersion: 1,
			position: [0, 0],
			parameters: this.options.parameters,
			credentials: { numberPortabilityLookupApi: { id: '1', name: 'NPL test account' } },
		};
		const nodeTypes = {
			getByName: (name: string) => (name === type ? this.pkg.trigger : undefined) as INodeType,
			getByNameAndVersion: (name: string) =>
				(name === type ? this.pkg.trigger : undefined) as INodeType,
			getKnownTypes: () => ({}),
		} as INodeTypes;
		const workflow = new Workflow({
			id: 'test-poll',
			name: 'test poll',
			nodes: [node],
			connections: {},
			active: mode === 'trigger',
			nodeTypes,
			staticData: structuredClone(this.staticData),
		});
		const additionalData = additionalDataFor(this.pkg, this.options.credential);
		const emitted: INodeExecutionData[][][] = [];
		const context =
			mode === 'manual'
				? new PollContext(
						workflow,
						workflow.getNode(TRIGGER_NAME)!,
						additionalData,
						'manual',
						'manual',
					)
				: new PollContext(
						workflow,
						workflow.getNode(TRIGGER_NAME)!,
						additionalData,
						'trigger',
						'activate',
						(data) => emitted.push(data),
						(error) => {
							throw error;
						},
					);

		let items: IDataObject[] | null = null;
		let error: Error | undefined;
		try {
			const answer = await this.pkg.trigger.poll!.call(context);
			// As n8n's PollTriggerExecutor: a non-null answer is emitted, and starts an execution.
			if (answer !== null && mode === 'trigger') context.__emit(answer);
			const data = mode === 'trigger' ? (emitted[0] ?? null) : answer;
			items = data ? (data[0] ?? []).map((item) => item.json) : null;
		} catch (thrown) {
			error = thrown as Error;
		}
		// As n8n's WorkflowStaticDataService.saveStaticData: saved only when flagged as changed.
		const staticDataChanged = workflow.staticData.__dataChanged === true;
		if (staticDataChanged)
			this.staticData = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
		return { items, error, staticDataChanged };
	}
}
