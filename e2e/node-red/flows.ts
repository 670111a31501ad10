/**
 * The flows the Node-RED end-to-end test (and `npm run node-red`) deploy: the package's two
 * examples as shipped (node-red/examples), each on a tab of its own, their account pointed at the
 * sandbox with its user and password; and, for the redeploy test, a "bulk" tab: POST /bulk
 * answers 202 at once and looks its numbers up in the background.
 *
 *   node --import tsx e2e/node-red/flows.ts --sandbox-url URL --user U --password P --out FILE
 *
 * FILE is the body of POST /flows (Node-RED-API-Version: v2): { flows }.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

type FlowNode = Record<string, unknown> & { id: string; type: string };

const EXAMPLES = join(__dirname, '..', '..', 'node-red', 'examples');
export const ACCOUNT_ID = 'npl-ex-account';
export const CRM_LOOKUP_ID = 'npl-ex-crm-lookup';
export const BALANCE_INJECT_ID = 'npl-ex-bal-inject';
export const BULK_LOOKUP_ID = 'npl-e2e-bulk-lookup';

function example(name: string): FlowNode[] {
	return JSON.parse(readFileSync(join(EXAMPLES, name), 'utf8')) as FlowNode[];
}

export function buildFlows(sandboxUrl: string, user: string, password: string): FlowNode[] {
	const nodes = new Map<string, FlowNode>();
	for (const node of [...example('clean-a-crm-list.json'), ...example('balance-alert.json')]) nodes.set(node.id, node);
	const onTab = (z: string, list: FlowNode[]) => list.map((node) => (node.type === 'npl-account' ? node : { ...node, z }));
	const account = { ...nodes.get(ACCOUNT_ID)!, baseUrl: sandboxUrl, credentials: { user, password } };
	const ofExample = (prefix: string) => [...nodes.values()].filter((node) => node.id.startsWith(prefix));
	const bulk: FlowNode[] = [
		{ id: 'npl-e2e-bulk-in', type: 'http in', name: 'POST /bulk', url: '/bulk', method: 'post', upload: false, swaggerDoc: '', x: 120, y: 60, wires: [['npl-e2e-bulk-accepted', BULK_LOOKUP_ID]] },
		{ id: 'npl-e2e-bulk-accepted', type: 'change', name: 'accepted', rules: [{ t: 'set', p: 'statusCode', pt: 'msg', to: '202', tot: 'num' }, { t: 'set', p: 'payload', pt: 'msg', to: 'accepted', tot: 'str' }], x: 320, y: 40, wires: [['npl-e2e-bulk-response']] },
		{ id: 'npl-e2e-bulk-response', type: 'http response', name: '', statusCode: '', headers: {}, x: 500, y: 40, wires: [] },
		{ id: BULK_LOOKUP_ID, type: 'npl-lookup', name: 'bulk lookup', account: ACCOUNT_ID, routeBy: 'validity', defaultCountry: '', numbersPerRequest: 100, maxConnections: 5, maxCredits: 0, msc: false, outputs: 4, x: 320, y: 100, wires: [[], [], [], []] },
	];
	return [
		{ id: 'npl-e2e-tab-crm', type: 'tab', label: 'clean a CRM list' },
		{ id: 'npl-e2e-tab-balance', type: 'tab', label: 'balance alert' },
		{ id: 'npl-e2e-tab-bulk', type: 'tab', label: 'bulk (redeploy test)' },
		account,
		...onTab('npl-e2e-tab-crm', ofExample('npl-ex-crm-')),
		...onTab('npl-e2e-tab-balance', ofExample('npl-ex-bal-')),
		...onTab('npl-e2e-tab-bulk', bulk),
	];
}

if (require.main === module) {
	const { values } = parseArgs({
		options: { 'sandbox-url': { type: 'string' }, user: { type: 'string' }, password: { type: 'string' }, out: { type: 'string' } },
	});
	if (!values['sandbox-url'] || !values.user || !values.password || !values.out) {
		throw new Error('usage: flows.ts --sandbox-url URL --user U --password P --out FILE');
	}
	writeFileSync(values.out, JSON.stringify({ flows: buildFlows(values['sandbox-url'], values.user, values.password) }, null, 2));
}
