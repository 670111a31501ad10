/**
 * The queue-mode cluster test's lanes: one sandbox account, one credential and one published
 * webhook workflow per scenario. Separate accounts keep the sandbox's per-account counts (peak
 * sockets, refusals, the ledger) and the cross-process budget's Redis keys of one scenario apart
 * from the others (a worker killed in one lane leaves its leases in that lane only).
 */
import verifiedPackage from '../../package.json';
import queueModePackage from '../../packages/queue-mode/package.json';

/** The packages' node, as n8n names a community node: <package name>.<node name>. */
export const QUEUE_MODE_NODE_TYPE = `${queueModePackage.name}.numberPortabilityLookup`;
export const VERIFIED_NODE_TYPE = `${verifiedPackage.name}.numberPortabilityLookup`;

export interface Lane {
	name: string;
	/** The sandbox account (and the credential's user). */
	user: string;
	/** A test password, only ever sent in POST bodies to the loopback sandbox. */
	password: string;
	/** The webhook's path: POST <main>/webhook/<path>. */
	path: string;
	workflowId: string;
	credentialId: string;
	/**
	 * validity: only the Valid output leads to Respond to Webhook (every number of the test is
	 * valid, so an item routed anywhere else is missing from the answer and the check sees it).
	 * none: one output, every item answered (the workflow users get from npm run n8n -- --queue).
	 */
	routeBy: 'validity' | 'none';
	/** The node type the lane's workflow runs: which of the two packages (both are installed). */
	nodeType: string;
}

/**
 * The control lane runs the verified package, installed beside the queue-mode one in every process:
 * its budget is per process, which is what the Redis budget is measured against. With
 * QUEUE_CONTROL_PACKAGE=queue-mode (QUEUE_BREAK=control-on) it runs the queue-mode package, and
 * its check (the account goes over its limit) must fail.
 */
const controlNodeType = () =>
	process.env.QUEUE_CONTROL_PACKAGE === 'queue-mode' ? QUEUE_MODE_NODE_TYPE : VERIFIED_NODE_TYPE;

const lane = (name: string, index: number): Lane => ({
	name,
	routeBy: name === 'demo' ? 'none' : 'validity',
	nodeType: name === 'control' ? controlNodeType() : QUEUE_MODE_NODE_TYPE,
	user: `queue-${name}`,
	password: `queue-${name}-Pa55word`,
	path: `npl-queue-${name}`,
	workflowId: `nplQueueLane${String(index).padStart(4, '0')}`,
	credentialId: `nplQueueCred${String(index).padStart(4, '0')}`,
});

export const LANES: readonly Lane[] = ['batch', 'stop', 'kill', 'control', 'demo', 'single'].map(
	lane,
);

export function laneNamed(name: string): Lane {
	const found = LANES.find((l) => l.name === name);
	if (!found) throw new Error(`no lane "${name}" (have: ${LANES.map((l) => l.name).join(', ')})`);
	return found;
}

/** Credits per account: every lane's numbers with room to spare (a second charge would show). */
export const LANE_CREDIT = 1_000_000;


/** Set by the Respond to Webhook node: which execution answered (the worker logs name it). */
export const EXECUTION_ID_HEADER = 'x-npl-execution-id';
