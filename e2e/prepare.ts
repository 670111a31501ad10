/**
 * Turns an example workflow (examples/*.json) into the workflow the end-to-end test imports.
 * Only what a headless run needs is changed, and each change is named on the command line:
 *
 *   --in examples/x.json --out work/x.json --id <workflow id>
 *   --credential <id>:<name>     every node of this package gets this credential
 *   --folder <dir>               the "Settings" node's `folder` (where the CSV is read and written)
 *   --manual-trigger             schedule and chat triggers become manual triggers (same name and
 *                                wiring)
 *   --node-credential "<node>=<type>:<id>:<name>"  give one node a credential (e.g. the chat model)
 *   --stub <node name>           that node becomes a NoOp (same name and wiring): a notifier that
 *                                would send mail stands in as a node whose input the checker reads
 *   --param "<node>:<path>=<json>"  set one parameter (e.g. "Get Balance:options.lowBalanceThreshold=1")
 *   --package <npm name>         this package's nodes become that package's (the queue-mode
 *                                package's node has the same name under another package prefix)
 *   --webhook-trigger <path>     the schedule or manual trigger becomes a production Webhook (POST
 *                                <path>, answering with every item of the last node): for workflows
 *                                that need `n8n start`, such as those using Data tables, which
 *                                `n8n execute` does not load
 *
 * It fails when a named node does not exist, so the test cannot silently drift from the examples.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface WorkflowNode {
	id?: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	webhookId?: string;
}

interface Workflow {
	id?: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, unknown>;
	active?: boolean;
	settings?: Record<string, unknown>;
	pinData?: Record<string, unknown>;
}

export const PACKAGE_NAME = 'n8n-nodes-number-portability-lookup';
const CREDENTIAL_TYPE = 'numberPortabilityLookupApi';
const TRIGGERS_TO_REPLACE = [
	'n8n-nodes-base.scheduleTrigger',
	'@n8n/n8n-nodes-langchain.chatTrigger',
];

const WEBHOOK_REPLACES = ['n8n-nodes-base.scheduleTrigger', 'n8n-nodes-base.manualTrigger'];

function fail(message: string): never {
	console.error(`prepare: ${message}`);
	process.exit(2);
}

function nodeNamed(workflow: Workflow, name: string): WorkflowNode {
	const node = workflow.nodes.find((n) => n.name === name);
	if (!node) fail(`no node named "${name}" in "${workflow.name}"`);
	return node;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
	const keys = path.split('.');
	let cursor: Record<string, unknown> = target;
	for (const key of keys.slice(0, -1)) {
		const next = cursor[key];
		if (typeof next !== 'object' || next === null) cursor[key] = {};
		cursor = cursor[key] as Record<string, unknown>;
	}
	cursor[keys[keys.length - 1]] = value;
}

function main(): void {
	const { values } = parseArgs({
		options: {
			in: { type: 'string' },
			out: { type: 'string' },
			id: { type: 'string' },
			credential: { type: 'string' },
			folder: { type: 'string' },
			'manual-trigger': { type: 'boolean', default: false },
			'node-credential': { type: 'string', multiple: true, default: [] },
			stub: { type: 'string', multiple: true, default: [] },
			param: { type: 'string', multiple: true, default: [] },
			name: { type: 'string' },
			'webhook-trigger': { type: 'string' },
			package: { type: 'string' },
		},
	});
	if (!values.in || !values.out || !values.id) fail('--in, --out and --id are required');

	const workflow = JSON.parse(readFileSync(values.in, 'utf8')) as Workflow;
	workflow.id = values.id;
	workflow.active = false;
	if (values.name) workflow.name = values.name;

	if (values.package) {
		const ours = workflow.nodes.filter((n) => n.type.startsWith(`${PACKAGE_NAME}.`));
		if (ours.length === 0) fail(`no ${PACKAGE_NAME} node in "${workflow.name}"`);
		for (const node of ours) node.type = `${values.package}.${node.type.slice(PACKAGE_NAME.length + 1)}`;
	}

	if (values.credential) {
		const [id, ...rest] = values.credential.split(':');
		const prefix = `${values.package ?? PACKAGE_NAME}.`;
		const ours = workflow.nodes.filter((n) => n.type.startsWith(prefix));
		if (ours.length === 0) fail(`no ${PACKAGE_NAME} node in "${workflow.name}"`);
		for (const node of ours) {
			node.credentials = { [CREDENTIAL_TYPE]: { id, name: rest.join(':') || id } };
		}
	}

	if (values.folder !== undefined) {
		const settings = nodeNamed(workflow, 'Settings');
		const assignments = (
			settings.parameters.assignments as { assignments?: Array<{ name: string; value: unknown }> }
		)?.assignments;
		const folder = assignments?.find((a) => a.name === 'folder');
		if (!folder) fail('the "Settings" node has no "folder" field');
		folder.value = values.folder;
	}

	if (values['manual-trigger']) {
		const triggers = workflow.nodes.filter((n) => TRIGGERS_TO_REPLACE.includes(n.type));
		if (triggers.length === 0) fail(`no schedule or chat trigger in "${workflow.name}"`);
		for (const node of triggers) {
			node.type = 'n8n-nodes-base.manualTrigger';
			node.typeVersion = 1;
			node.parameters = {};
			delete node.webhookId;
		}
	}

	for (const spec of values['node-credential'] ?? []) {
		const match = /^([^=]+)=([^:]+):([^:]+):(.*)$/s.exec(spec);
		if (!match) fail(`--node-credential "${spec}" is not "<node>=<type>:<id>:<name>"`);
		const [, name, type, id, credentialName] = match;
		nodeNamed(workflow, name).credentials = { [type]: { id, name: credentialName } };
	}

	for (const name of values.stub ?? []) {
		const node = nodeNamed(workflow, name);
		node.type = 'n8n-nodes-base.noOp';
		node.typeVersion = 1;
		node.parameters = {};
		delete node.credentials;
		delete node.webhookId;
	}

	for (const spec of values.param ?? []) {
		const match = /^([^:]+):([^=]+)=(.*)$/s.exec(spec);
		if (!match) fail(`--param "${spec}" is not "<node>:<path>=<json>"`);
		const [, name, path, raw] = match;
		let value: unknown;
		try {
			value = JSON.parse(raw);
		} catch {
			value = raw;
		}
		setPath(nodeNamed(workflow, name).parameters, path, value);
	}

	if (values['webhook-trigger'] !== undefined) {
		const triggers = workflow.nodes.filter((n) => WEBHOOK_REPLACES.includes(n.type));
		if (triggers.length !== 1) fail(`"${workflow.name}" needs one schedule or manual trigger`);
		const [node] = triggers;
		node.type = 'n8n-nodes-base.webhook';
		node.typeVersion = 2;
		node.parameters = {
			httpMethod: 'POST',
			path: values['webhook-trigger'],
			responseMode: 'lastNode',
			responseData: 'allEntries',
			options: {},
		};
		node.webhookId = `npl-e2e-${values['webhook-trigger']}`;
	}

	writeFileSync(values.out, JSON.stringify(workflow, null, '\t'));
}

main();
