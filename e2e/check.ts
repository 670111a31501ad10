/**
 * Checks what `n8n execute --id <id> --rawOutput` printed for one scenario of the end-to-end test.
 * Prints one line per check, `ok - …` or `not ok - …` (e2e/run.sh counts them), and exits 1 when
 * any check failed.
 *
 *   tsx e2e/check.ts --scenario crm|balance-low|balance-high|agent|side-by-side
 *     --stdout <file> --exit-code <n>        what n8n printed and how it ended
 *     --sandbox <sandbox info json>          e2e/sandbox.ts's info file (admin URL, account)
 *     --ledger-before <credits>              the account's total charge before this run
 *     [--folder <dir>]                       crm: where the workflow wrote its CSV files
 *     [--requests <file>]                    agent: what the scripted model (fake-openai.ts) was sent
 *
 *   tsx e2e/check.ts --scenario recheck-first|recheck-second|recheck-stale   (e2e/recheck.sh)
 *     --response <file> --http-status <n>    what the re-check example's webhook answered
 *     --sandbox <file> --since-ms <Date.now() before the run> --folder <dir with crm-numbers.csv>
 *     [--previous <file>]                    the answer of the run before (second, stale)
 *     [--aged <file>]                        stale: what e2e/recheck-age-results.json answered
 *
 * It never trusts the exit code alone: `n8n execute` can exit 0 having run nothing (the old
 * `--file` flag only logs '"--id" has to be set!'), so the run data of this package's node must be
 * there, with items.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const PACKAGE_NAME = 'n8n-nodes-number-portability-lookup';
const NODE_TYPE = `${PACKAGE_NAME}.numberPortabilityLookup`;
const VALIDITY_OUTPUTS = ['Valid', 'Invalid', 'Undetermined', 'Not Looked Up'] as const;
const OUTPUT_FILES: Record<(typeof VALIDITY_OUTPUTS)[number], string> = {
	Valid: 'crm-valid.csv',
	Invalid: 'crm-invalid.csv',
	Undetermined: 'crm-undetermined.csv',
	'Not Looked Up': 'crm-not-looked-up.csv',
};
/** Every documented field (nodes/.../engine/types.ts LOOKUP_FIELD_NAMES) plus the node's own. */
const ITEM_KEYS = [
	'msisdn',
	'errorcode',
	'errortext',
	'validnumber',
	'reachable',
	'ported',
	'mobile',
	'landline',
	'numbertype',
	'countrycode',
	'countryiso',
	'countryname',
	'operatorname',
	'mcc',
	'mnc',
	'imsi',
	'ocn',
	'carrier',
	'transactioncost',
	'userbalance',
	'input',
	'number',
	'lookedUp',
	'reason',
	'route',
];

interface Item {
	json: Record<string, unknown>;
	pairedItem?: { item: number; input?: number } | Array<{ item: number; input?: number }> | number;
}
interface TaskData {
	executionStatus?: string;
	error?: { message?: string };
	data?: { main?: Array<Item[] | null>; ai_tool?: Array<Item[] | null> };
}
interface Run {
	status?: string;
	finished?: boolean;
	data?: {
		resultData?: {
			runData?: Record<string, TaskData[]>;
			error?: { message?: string; description?: string };
			lastNodeExecuted?: string;
		};
	};
	workflowData?: { nodes?: Array<{ name: string; type: string }> };
}
interface Expected {
	rows: number;
	credits: number;
	counts: Record<string, number>;
	items: Array<{ input: string; number: string | null; route: string }>;
}

let passed = 0;
let failed = 0;
function check(condition: boolean, what: string, detail?: () => string): boolean {
	if (condition) {
		passed++;
		console.log(`ok - ${what}`);
	} else {
		failed++;
		console.log(`not ok - ${what}${detail ? `: ${detail()}` : ''}`);
	}
	return condition;
}
const show = (value: unknown) => JSON.stringify(value)?.slice(0, 400) ?? String(value);

/** The JSON n8n printed: log lines come first, the object starts at a line that is just `{`. */
function extractRun(stdout: string): Run | null {
	const lines = stdout.split('\n');
	const start = lines.findIndex((line) => line === '{');
	let end = -1;
	for (let i = lines.length - 1; i >= 0; i--) {
		if (lines[i] === '}') {
			end = i;
			break;
		}
	}
	if (start < 0 || end < start) return null;
	try {
		return JSON.parse(lines.slice(start, end + 1).join('\n')) as Run;
	} catch {
		return null;
	}
}

/** A node's outputs; a node run as an AI tool records its output under ai_tool, not main. */
function outputsOf(task: TaskData | undefined): Item[][] {
	return (task?.data?.main ?? task?.data?.ai_tool ?? []).map((items) => items ?? []);
}

function pairedIndexes(item: Item): number[] | null {
	const p = item.pairedItem;
	if (p === undefined || p === null) return null;
	if (typeof p === 'number') return [p];
	const list = Array.isArray(p) ? p : [p];
	if (list.length === 0) return null;
	return list.map((entry) => (typeof entry?.item === 'number' ? entry.item : NaN));
}

async function admin(sandbox: { adminUrl: string }, path: string): Promise<unknown> {
	const response = await fetch(`${sandbox.adminUrl}${path}`);
	if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}`);
	return await response.json();
}

interface SandboxInfo {
	url: string;
	adminUrl: string;
	user: string;
	credit: number;
}

/** What the sandbox charged this account so far (or since `sinceMs`, a Date.now()), from its ledger. */
async function chargedSoFar(
	sandbox: SandboxInfo,
	sinceMs = 0,
): Promise<{ total: number; numbers: string[] }> {
	type Entry = { account: string; msisdn: string; cost: number; at?: number };
	const ledger = (await admin(sandbox, '/ledger')) as { entries?: Entry[] } | Entry[];
	const entries = (Array.isArray(ledger) ? ledger : (ledger.entries ?? [])).filter((e) => {
		if (e.account !== sandbox.user || sinceMs === 0) return e.account === sandbox.user;
		if (typeof e.at !== 'number') throw new Error('the ledger entries carry no "at" time');
		return e.at >= sinceMs;
	});
	const hundredths = entries.reduce((sum, e) => sum + Math.round(e.cost * 100), 0);
	return { total: hundredths / 100, numbers: entries.map((e) => e.msisdn) };
}

async function balanceOf(sandbox: SandboxInfo): Promise<number> {
	const accounts = (await admin(sandbox, '/accounts')) as
		| Array<{ user: string; balance: number }>
		| { accounts?: Array<{ user: string; balance: number }> };
	const list = Array.isArray(accounts) ? accounts : (accounts.accounts ?? []);
	const account = list.find((a) => a.user === sandbox.user);
	if (!account) throw new Error(`no account ${sandbox.user} in /accounts`);
	return account.balance;
}

/** Checks every item an output of our node produced in a lookup run. */
function checkLookupItems(outputs: Item[][], inputCount: number): void {
	const all = outputs.flatMap((items, output) => items.map((item) => ({ item, output })));
	const missingPaired = all.filter(({ item }) => {
		const indexes = pairedIndexes(item);
		return (
			indexes === null || indexes.some((i) => !Number.isInteger(i) || i < 0 || i >= inputCount)
		);
	});
	check(
		missingPaired.length === 0,
		`every item has a pairedItem pointing at one of the ${inputCount} input items`,
		() => `${missingPaired.length} without: ${show(missingPaired[0]?.item)}`,
	);
	const missingKeys = all.filter(({ item }) => ITEM_KEYS.some((key) => !(key in item.json)));
	check(
		missingKeys.length === 0,
		'every item carries every documented field (null when absent) and input/number/lookedUp/reason/route',
		() => {
			const first = missingKeys[0].item.json;
			return `${missingKeys.length} items lack some, e.g. ${ITEM_KEYS.filter((k) => !(k in first)).join(', ')}`;
		},
	);
	const wrongRoute = all.filter(({ item, output }) => item.json.route !== VALIDITY_OUTPUTS[output]);
	check(wrongRoute.length === 0, 'every item says the route of the output it is on', () =>
		show(wrongRoute[0]),
	);
	const lookedUp = all
		.filter(({ item }) => item.json.lookedUp === true)
		.map(({ item }) => item.json);
	// North American numbers answer in another shape (msisdn, ocn, carrier, numbertype, lrn, spid):
	// no errorcode, no ported there, so those are null; everything else has the GSM fields.
	const isNanp = (j: Record<string, unknown>) =>
		typeof j.msisdn === 'string' && j.msisdn.startsWith('1');
	const gsm = lookedUp.filter((j) => !isNanp(j));
	const nanp = lookedUp.filter(isNanp);
	const badTypes = gsm.filter(
		(j) =>
			typeof j.errorcode !== 'number' ||
			![true, false, 'undetermined'].includes(j.validnumber as never) ||
			typeof j.ported !== 'boolean' ||
			typeof j.transactioncost !== 'number' ||
			typeof j.msisdn !== 'string',
	);
	check(
		gsm.length > 0 && badTypes.length === 0,
		`looked-up items are typed: errorcode number, validnumber true|false|'undetermined', ported boolean, transactioncost number (${gsm.length} items)`,
		() =>
			gsm.length === 0
				? 'no looked-up item at all'
				: `${badTypes.length} wrong, e.g. ${show(badTypes[0])}`,
	);
	const badNanp = nanp.filter(
		(j) =>
			typeof j.carrier !== 'string' ||
			typeof j.numbertype !== 'string' ||
			j.validnumber !== 'undetermined' ||
			j.errorcode !== null ||
			typeof j.transactioncost !== 'number',
	);
	check(
		badNanp.length === 0,
		`NANP items carry carrier and numbertype, validnumber 'undetermined', errorcode null (${nanp.length} items)`,
		() => show(badNanp[0]),
	);
	const notLookedUp = all
		.filter(({ item }) => item.json.lookedUp === false)
		.map(({ item }) => item.json);
	const badReasons = notLookedUp.filter(
		(j) => typeof j.reason !== 'string' || j.errorcode !== null,
	);
	check(
		badReasons.length === 0,
		`items not looked up carry a reason and no service fields (${notLookedUp.length} items)`,
		() => show(badReasons[0]),
	);
}

async function checkCrm(
	run: Run,
	nodeName: string,
	sandbox: SandboxInfo,
	chargedBefore: number,
	folder: string | undefined,
): Promise<void> {
	const expected = JSON.parse(
		readFileSync(join(__dirname, 'crm-expected.json'), 'utf8'),
	) as Expected;
	const runData = run.data?.resultData?.runData ?? {};
	const extract = runData['Extract CSV rows']?.[0];
	const inputCount = outputsOf(extract)[0]?.length ?? 0;
	check(
		inputCount === expected.rows,
		`the CSV was read: ${expected.rows} rows reached the node`,
		() => `got ${inputCount}`,
	);

	const outputs = outputsOf(runData[nodeName]?.[0]);
	check(
		outputs.length === 4,
		'the node has 4 outputs (Valid, Invalid, Undetermined, Not Looked Up)',
		() => `got ${outputs.length}`,
	);
	const counts = Object.fromEntries(
		VALIDITY_OUTPUTS.map((name, i) => [name, outputs[i]?.length ?? 0]),
	);
	for (const name of VALIDITY_OUTPUTS) {
		check(
			counts[name] === expected.counts[name],
			`output "${name}" has ${expected.counts[name]} items`,
			() => `got ${counts[name]}`,
		);
	}
	const total = outputs.reduce((sum, items) => sum + items.length, 0);
	check(
		total === inputCount,
		'exactly one output item per input item (none lost, none doubled)',
		() => `${total} out for ${inputCount} in`,
	);
	checkLookupItems(outputs, inputCount);

	// pairedItem must point at the very input item that held the number, not just any item.
	const inputs = outputsOf(extract)[0] ?? [];
	const mispaired = outputs
		.flat()
		.filter((item) => {
			const indexes = pairedIndexes(item) ?? [];
			return (
				indexes.length !== 1 ||
				String(inputs[indexes[0]]?.json.phone ?? '') !== String(item.json.input ?? '')
			);
		})
		.map((item) => ({ input: item.json.input, pairedItem: item.pairedItem }));
	check(
		mispaired.length === 0,
		'every item is paired to the input item that held its number',
		() => `${mispaired.length} not, e.g. ${show(mispaired.slice(0, 3))}`,
	);

	// Each item on the output its input text should have led to (e2e/crm-expected.json).
	const byInput = new Map<string, string[]>();
	for (const e of expected.items) byInput.set(e.input, [...(byInput.get(e.input) ?? []), e.route]);
	const misrouted: string[] = [];
	outputs.forEach((items, output) => {
		for (const item of items) {
			const routes = byInput.get(String(item.json.input ?? ''));
			if (!routes?.includes(VALIDITY_OUTPUTS[output])) {
				misrouted.push(
					`${show(item.json.input)} on ${VALIDITY_OUTPUTS[output]} (expected ${routes?.join('/') ?? 'no such input'})`,
				);
			}
		}
	});
	check(
		misrouted.length === 0,
		'every input text is on the output e2e/crm-expected.json gives for it',
		() => `${misrouted.length} misrouted: ${misrouted.slice(0, 5).join('; ')}`,
	);

	// Credits: the ledger must show one charge per distinct valid number looked up, no more.
	const all = outputs.flat().map((i) => i.json);
	const distinctLookedUp = new Set(
		all.filter((j) => j.lookedUp === true).map((j) => String(j.number)),
	);
	const ledger = await chargedSoFar(sandbox);
	const charged = Math.round((ledger.total - chargedBefore) * 100) / 100;
	check(
		charged === distinctLookedUp.size,
		`the sandbox charged ${distinctLookedUp.size} credits, one per distinct valid number looked up`,
		() => `ledger charged ${charged}`,
	);
	check(
		charged === expected.credits,
		`that is the workflow's Max Credits budget, ${expected.credits}`,
		() => `charged ${charged}`,
	);
	const counted = new Map<string, number>();
	for (const n of ledger.numbers) counted.set(n, (counted.get(n) ?? 0) + 1);
	const twice = [...counted].filter(([, n]) => n > 1);
	check(
		twice.length === 0,
		'no number was charged twice (duplicates in the list are looked up once)',
		() => show(twice.slice(0, 5)),
	);

	// The files the workflow wrote, one per non-empty output. Each row got its CRM id, name and
	// company back through n8n's `$('Extract CSV rows').item`, which follows pairedItem: a row whose
	// id does not belong to its phone text means an item was paired to the wrong source item.
	if (folder !== undefined) {
		const source = parseCsv(readFileSync(join(folder, 'crm-numbers.csv'), 'utf8'));
		const phoneOfId = new Map(source.map((row) => [row.id, row.phone]));
		for (const name of VALIDITY_OUTPUTS) {
			const file = join(folder, OUTPUT_FILES[name]);
			if (!check(existsSync(file), `the workflow wrote ${OUTPUT_FILES[name]}`)) continue;
			const rows = parseCsv(readFileSync(file, 'utf8'));
			check(
				rows.length === counts[name],
				`${OUTPUT_FILES[name]} has ${counts[name]} rows`,
				() => `${rows.length} rows`,
			);
			const wrong = rows
				.filter((row) => !phoneOfId.has(row.id) || phoneOfId.get(row.id) !== (row.input ?? ''))
				.map((row) => ({
					id: row.id,
					name: row.name,
					input: row.input,
					phoneOfId: phoneOfId.get(row.id),
				}));
			check(
				rows.length > 0 && wrong.length === 0,
				`every row of ${OUTPUT_FILES[name]} has the CRM id of its own phone number (pairedItem followed by n8n)`,
				() => `${wrong.length} wrong, e.g. ${show(wrong[0])}`,
			);
		}
	}
}

/** A small RFC 4180 reader (quoted fields, doubled quotes, CRLF), rows as header → value. */
function parseCsv(text: string): Array<Record<string, string>> {
	const records: string[][] = [];
	let field = '';
	let record: string[] = [];
	let quoted = false;
	const body = text.replace(/^\uFEFF/, '');
	for (let i = 0; i < body.length; i++) {
		const c = body[i];
		if (quoted) {
			if (c === '"' && body[i + 1] === '"') {
				field += '"';
				i++;
			} else if (c === '"') quoted = false;
			else field += c;
		} else if (c === '"') quoted = true;
		else if (c === ',') {
			record.push(field);
			field = '';
		} else if (c === '\n' || c === '\r') {
			if (c === '\r' && body[i + 1] === '\n') i++;
			record.push(field);
			records.push(record);
			record = [];
			field = '';
		} else field += c;
	}
	if (field !== '' || record.length > 0) {
		record.push(field);
		records.push(record);
	}
	const [header = [], ...rows] = records.filter((r) => !(r.length === 1 && r[0] === ''));
	return rows.map((r) => Object.fromEntries(header.map((key, i) => [key, r[i] ?? ''])));
}

async function checkBalance(
	run: Run,
	nodeName: string,
	sandbox: SandboxInfo,
	chargedBefore: number,
	below: boolean,
): Promise<void> {
	const runData = run.data?.resultData?.runData ?? {};
	const outputs = outputsOf(runData[nodeName]?.[0]);
	const items = outputs[0] ?? [];
	check(
		outputs.length === 1 && items.length === 1,
		'Get Balance has one output with one item',
		() => show(outputs.map((o) => o.length)),
	);
	const json = items[0]?.json ?? {};
	const balance = await balanceOf(sandbox);
	check(
		typeof json.balance === 'number' && json.balance === balance,
		`the balance is the number the sandbox holds (${balance})`,
		() => show(json),
	);
	check(json.belowThreshold === below, `belowThreshold is ${below}`, () => show(json));
	check(
		pairedIndexes(items[0] ?? { json: {} })?.[0] === 0,
		'the balance item is paired to the trigger item',
		() => show(items[0]?.pairedItem),
	);
	const ledger = await chargedSoFar(sandbox);
	check(
		ledger.total === chargedBefore,
		'asking for the balance cost nothing',
		() => `charged ${ledger.total - chargedBefore}`,
	);

	const ifTrue = outputsOf(runData['Below threshold?']?.[0])[0] ?? [];
	const alert = runData['Send alert email']?.[0];
	const alerted = outputsOf(alert)[0] ?? [];
	if (below) {
		check(ifTrue.length === 1, 'the If node let the item through on "true"', () => show(ifTrue));
		check(
			alerted.length === 1 && alerted[0].json.balance === balance,
			'the alert (stubbed notifier) received the balance item',
			() => show(alert ?? 'the notifier did not run'),
		);
		check(
			pairedIndexes(alerted[0] ?? { json: {} }) !== null,
			'the alert item is paired back to its source',
		);
	} else {
		check(ifTrue.length === 0, 'the If node sent nothing to "true"', () => show(ifTrue));
		check(alert === undefined, 'no alert was sent', () => show(alert));
	}
}

const AGENT_TOOL = 'Look up a phone number';
/** TEST_NUMBERS.ported of the sandbox: errorcode 0, ported from Vodafone UK to O2 UK. */
const AGENT_PHONE = { input: '+44 7400 900100', msisdn: '447400900100' };

async function checkAgent(
	run: Run,
	sandbox: SandboxInfo,
	chargedBefore: number,
	requestsFile: string | undefined,
): Promise<void> {
	const runData = run.data?.resultData?.runData ?? {};
	const items = outputsOf(runData[AGENT_TOOL]?.[0])[0] ?? [];
	check(items.length === 1, `the tool "${AGENT_TOOL}" (${NODE_TYPE}Tool) returned one item`, () =>
		show(items),
	);
	const json = items[0]?.json ?? {};
	check(
		json.input === AGENT_PHONE.input,
		`the tool received the number the model chose, through $fromAI ("${AGENT_PHONE.input}")`,
		() => show(json.input),
	);
	check(
		json.lookedUp === true &&
			json.msisdn === AGENT_PHONE.msisdn &&
			json.errorcode === 0 &&
			json.ported === true,
		'the tool looked the number up: errorcode 0, ported true',
		() => show(json),
	);
	check(
		json.operatorname === 'O2 UK' && json.originaloperatorname === 'Vodafone UK',
		'it names the network ported to (O2 UK) and from (Vodafone UK)',
		() =>
			show({ operatorname: json.operatorname, originaloperatorname: json.originaloperatorname }),
	);
	const agentItems = outputsOf(runData['AI Agent']?.[0])[0] ?? [];
	const output = String(agentItems[0]?.json.output ?? '');
	check(
		output.includes(`"msisdn":"${AGENT_PHONE.msisdn}"`) && output.includes('"ported":true'),
		"the tool's result reached the agent's answer",
		() => show(output),
	);
	const ledger = await chargedSoFar(sandbox);
	check(
		Math.round((ledger.total - chargedBefore) * 100) / 100 === 1,
		'the sandbox charged 1 credit',
		() => `charged ${ledger.total - chargedBefore}`,
	);
	if (requestsFile !== undefined) {
		const requests = existsSync(requestsFile)
			? readFileSync(requestsFile, 'utf8')
					.split('\n')
					.filter((line) => line !== '')
					.map(
						(line) =>
							JSON.parse((JSON.parse(line) as { body: string }).body || '{}') as {
								tools?: Array<{
									function?: { name?: string; parameters?: { properties?: object } };
								}>;
							},
					)
			: [];
		const offered = requests[0]?.tools?.map((t) => t.function) ?? [];
		const lookup = offered.find((f) => f?.name === 'Look_up_a_phone_number');
		check(
			lookup !== undefined && 'phoneNumber' in (lookup.parameters?.properties ?? {}),
			'the model was offered the node as a tool, with the $fromAI parameter phoneNumber in its schema',
			() => show(offered),
		);
		check(
			requests.length === 2,
			'the agent asked the model twice (tool call, then answer)',
			() => `${requests.length} requests`,
		);
	}
}

// ---------------------------------------------------------------------------------------------
// examples/recheck-stale-numbers.json: run through its production webhook (e2e/recheck.sh), the
// answer is every item of its last node, "Every row, freshest result".

/** e2e/workflows/side-by-side.json: the verified package's node, then the queue-mode package's. */
const SIDE_BY_SIDE = ['Look Up (verified)', 'Look Up (queue mode)'] as const;

/**
 * Both packages installed in one n8n: each node loaded and looked the number up with the one
 * credential both declare (a credential saved once serves both), and the account paid once each.
 */
async function checkSideBySide(run: Run, sandbox: SandboxInfo, chargedBefore: number): Promise<void> {
	const runData = run.data?.resultData?.runData ?? {};
	for (const name of SIDE_BY_SIDE) {
		const item = outputsOf(runData[name]?.[0])[0]?.[0]?.json;
		check(
			item?.lookedUp === true && item?.msisdn === AGENT_PHONE.msisdn,
			`"${name}" looked ${AGENT_PHONE.input} up with the shared credential`,
			() => show(item ?? runData[name]?.[0]?.error),
		);
	}
	const charged = (await chargedSoFar(sandbox)).total - chargedBefore;
	check(charged === 2, 'the account was charged once by each node (2 credits)', () => `charged ${charged}`);
}

const RECHECK_SCENARIOS = ['recheck-first', 'recheck-second', 'recheck-stale'];
/** Fields the workflow adds to each row: when its result was looked up, and whether it was reused. */
const RECHECK_KEYS = ['lookedUpAt', 'fromStore'];

type Row = Record<string, unknown>;

function readRows(file: string | undefined, what: string): Row[] | null {
	if (file === undefined || !existsSync(file)) return null;
	try {
		const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
		return Array.isArray(parsed) ? (parsed as Row[]) : null;
	} catch {
		check(false, `${what} is JSON`, () => show(readFileSync(file, 'utf8').slice(0, 300)));
		return null;
	}
}

/** A row without the field that says where its result came from: what two runs must agree on. */
function withoutOrigin(row: Row | undefined): string {
	return JSON.stringify(
		Object.entries(row ?? {})
			.filter(([key]) => key !== 'fromStore')
			.sort(([a], [b]) => a.localeCompare(b)),
	);
}

async function checkRecheck(
	scenario: string,
	values: {
		response?: string;
		'http-status'?: string;
		previous?: string;
		aged?: string;
		folder?: string;
		'since-ms'?: string;
	},
	sandbox: SandboxInfo,
): Promise<void> {
	const expected = JSON.parse(
		readFileSync(join(__dirname, 'crm-expected.json'), 'utf8'),
	) as Expected & { distinctValidNumbers: number };
	check(
		values['http-status'] === '200',
		'the webhook answered HTTP 200',
		() => `HTTP ${values['http-status']}`,
	);
	const rows = readRows(values.response, 'the answer');
	if (!check(rows !== null, 'the answer is the list of rows (JSON array)') || rows === null) return;

	// Every CSV row comes out once, with its own phone number's result (pairedItem followed).
	const source = parseCsv(readFileSync(join(values.folder ?? '', 'crm-numbers.csv'), 'utf8'));
	const phoneOfId = new Map(source.map((row) => [row.id, row.phone]));
	const ids = rows.map((row) => String(row.id));
	check(
		rows.length === expected.rows && new Set(ids).size === expected.rows,
		`${expected.rows} rows came out, each CSV row once`,
		() => `${rows.length} rows, ${new Set(ids).size} distinct ids`,
	);
	const misplaced = rows.filter(
		(row) => !phoneOfId.has(String(row.id)) || phoneOfId.get(String(row.id)) !== (row.input ?? ''),
	);
	check(
		misplaced.length === 0,
		'every row holds the result of its own phone number (input = the CSV row phone; empty cells null)',
		() => `${misplaced.length} wrong, e.g. ${show(misplaced[0])}`,
	);
	const lacking = rows.filter((row) => [...ITEM_KEYS, ...RECHECK_KEYS].some((k) => !(k in row)));
	check(
		lacking.length === 0,
		'every row carries the documented fields, lookedUpAt and fromStore',
		() => `${lacking.length} rows lack some, e.g. ${show(lacking[0])}`,
	);
	const lookedUp = rows.filter((row) => row.lookedUp === true);
	const notLookedUp = rows.filter((row) => row.lookedUp !== true);
	check(
		notLookedUp.every((row) => row.lookedUpAt === null && typeof row.reason === 'string'),
		`rows not looked up have a reason and no lookedUpAt (${notLookedUp.length} rows)`,
		() =>
			show(notLookedUp.find((row) => row.lookedUpAt !== null || typeof row.reason !== 'string')),
	);

	const since = Number(values['since-ms'] ?? NaN);
	if (!check(Number.isFinite(since) && since > 0, 'the run start time was given')) return;
	const ledger = await chargedSoFar(sandbox, since);
	const charged = Math.round(ledger.total * 100) / 100;
	const chargedNumbers = new Set(ledger.numbers);
	check(
		chargedNumbers.size === ledger.numbers.length,
		'no number was charged twice in this run',
		() => show(ledger.numbers.filter((n, i) => ledger.numbers.indexOf(n) !== i)),
	);

	if (scenario === 'recheck-first') {
		const distinct = new Set(lookedUp.map((row) => String(row.number)));
		check(
			charged === expected.distinctValidNumbers && distinct.size === expected.distinctValidNumbers,
			`the first run paid for every distinct valid number: ${expected.distinctValidNumbers} credits`,
			() => `charged ${charged}, ${distinct.size} distinct numbers looked up`,
		);
		check(
			rows.every((row) => row.fromStore === false),
			'no row came from the table (it was empty)',
			() => show(rows.find((row) => row.fromStore !== false)),
		);
		const started = since - 60_000;
		check(
			lookedUp.every((row) => Date.parse(String(row.lookedUpAt)) >= started),
			'every looked-up row has this run as its lookedUpAt',
			() => show(lookedUp.find((row) => !(Date.parse(String(row.lookedUpAt)) >= started))),
		);
		return;
	}

	const previous = readRows(values.previous, 'the previous run');
	if (!check(previous !== null, 'the previous run answered') || previous === null) return;
	const before = new Map(previous.map((row) => [String(row.id), row]));

	if (scenario === 'recheck-second') {
		check(
			charged === 0,
			'the second run paid 0 credits',
			() => `charged ${charged}: ${show(ledger.numbers)}`,
		);
		check(
			lookedUp.length > 0 && lookedUp.every((row) => row.fromStore === true),
			`every looked-up row came from the table (${lookedUp.length} rows)`,
			() => show(lookedUp.find((row) => row.fromStore !== true)),
		);
		const changed = rows.filter(
			(row) => withoutOrigin(row) !== withoutOrigin(before.get(String(row.id))),
		);
		check(
			changed.length === 0,
			'every row is the same as in the first run (but for fromStore)',
			() =>
				`${changed.length} differ, e.g. ${show(changed[0])} was ${show(before.get(String(changed[0]?.id)))}`,
		);
		return;
	}

	// recheck-stale: e2e/recheck-age-results.json made some stored results 30 days old.
	const agedRows = readRows(values.aged, 'the ageing workflow answer') ?? [];
	const aged = new Set(agedRows.map((row) => String(row.number)));
	const stored = new Set(
		previous.filter((row) => row.lookedUp === true).map((row) => String(row.number)),
	);
	check(
		aged.size > 0 && aged.size < stored.size && [...aged].every((n) => stored.has(n)),
		`some, not all, stored results were made stale (${aged.size} of ${stored.size} numbers)`,
		() => show([...aged]),
	);
	const paidNotAged = [...chargedNumbers].filter((n) => !aged.has(n));
	const agedNotPaid = [...aged].filter((n) => !chargedNumbers.has(n));
	check(
		paidNotAged.length === 0 && agedNotPaid.length === 0 && charged === aged.size,
		`exactly the ${aged.size} stale numbers were paid, once each`,
		() =>
			`charged ${charged}; paid but fresh ${show(paidNotAged)}; stale but not paid ${show(agedNotPaid)}`,
	);
	const staleRows = lookedUp.filter((row) => aged.has(String(row.number)));
	check(
		staleRows.length > 0 &&
			staleRows.every(
				(row) =>
					row.fromStore === false &&
					Date.parse(String(row.lookedUpAt)) >
						Date.parse(String(before.get(String(row.id))?.lookedUpAt)),
			),
		`the stale rows come out with a new result (${staleRows.length} rows)`,
		() => show(staleRows.find((row) => row.fromStore !== false)),
	);
	const others = rows.filter((row) => !aged.has(String(row.number)));
	const changed = others.filter(
		(row) => JSON.stringify(row) !== JSON.stringify(before.get(String(row.id))),
	);
	check(
		changed.length === 0,
		`the other rows are as in the previous run, fresh from the table (${others.length} rows)`,
		() => `${changed.length} differ, e.g. ${show(changed[0])}`,
	);
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			scenario: { type: 'string' },
			stdout: { type: 'string' },
			'exit-code': { type: 'string' },
			sandbox: { type: 'string' },
			'ledger-before': { type: 'string', default: '0' },
			folder: { type: 'string' },
			requests: { type: 'string' },
			response: { type: 'string' },
			'http-status': { type: 'string' },
			previous: { type: 'string' },
			aged: { type: 'string' },
			'since-ms': { type: 'string' },
			stderr: { type: 'string' },
		},
	});
	const scenario = values.scenario ?? '';
	if (RECHECK_SCENARIOS.includes(scenario) && values.sandbox) {
		const sandbox = JSON.parse(readFileSync(values.sandbox, 'utf8')) as SandboxInfo;
		await checkRecheck(scenario, values, sandbox);
		finish();
		return;
	}
	if (
		!['crm', 'balance-low', 'balance-high', 'agent', 'side-by-side'].includes(scenario) ||
		!values.stdout ||
		!values.sandbox
	) {
		console.error(
			'usage: check.ts --scenario crm|balance-low|balance-high|agent|side-by-side --stdout <file> --exit-code <n> --sandbox <info.json>',
		);
		process.exit(2);
	}
	const sandbox = JSON.parse(readFileSync(values.sandbox, 'utf8')) as SandboxInfo;
	const stdout = existsSync(values.stdout) ? readFileSync(values.stdout, 'utf8') : '';

	const run = extractRun(stdout);
	// n8n 2.41 on Node 24 has been seen to crash with SIGSEGV (exit 139) while exiting, after it
	// printed a whole, successful execution: that is n8n's exit, not this run's result. Said, not hidden.
	const crashedAfterSuccess =
		values['exit-code'] === '139' && run?.status === 'success' && run.finished === true;
	if (crashedAfterSuccess) console.log('# n8n crashed (SIGSEGV) on exit after printing a successful execution');
	check(
		values['exit-code'] === '0' || crashedAfterSuccess,
		'n8n execute exited 0',
		() => `exit code ${values['exit-code']}`,
	);
	if (
		!check(
			run !== null,
			'n8n printed the execution as JSON',
			() => `stdout ends: ${show(stdout.slice(-300))}`,
		) ||
		run === null
	) {
		finish();
		return;
	}
	const error = run.data?.resultData?.error;
	check(
		run.status === 'success' && run.finished === true && !error,
		'the execution status is success',
		() => `status ${run.status}, finished ${run.finished}, error ${show(error)}`,
	);
	const runData = run.data?.resultData?.runData ?? {};
	const nodeName =
		{ crm: 'Look Up Number', agent: AGENT_TOOL, 'side-by-side': SIDE_BY_SIDE[0] }[scenario] ?? 'Get Balance';
	const task = runData[nodeName]?.[0];
	const produced = outputsOf(task).reduce((sum, items) => sum + items.length, 0);
	// The guard against "exit 0, nothing ran": our node's run data must exist, with items.
	if (
		!check(
			task !== undefined && produced > 0,
			`the node "${nodeName}" (${NODE_TYPE}) ran and produced items`,
			() => `run data has nodes: ${show(Object.keys(runData))}`,
		)
	) {
		finish();
		return;
	}
	check(
		task.executionStatus === undefined || task.executionStatus === 'success',
		`"${nodeName}" finished with status success`,
		() => `${task.executionStatus}: ${show(task.error)}`,
	);

	const chargedBefore = Number(values['ledger-before']);
	if (scenario === 'crm') await checkCrm(run, nodeName, sandbox, chargedBefore, values.folder);
	else if (scenario === 'agent') await checkAgent(run, sandbox, chargedBefore, values.requests);
	else if (scenario === 'side-by-side') await checkSideBySide(run, sandbox, chargedBefore);
	else await checkBalance(run, nodeName, sandbox, chargedBefore, scenario === 'balance-low');
	finish();
}

function finish(): void {
	console.log(`# ${passed} passed, ${failed} failed`);
	process.exitCode = failed === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
	check(false, 'the checker itself ran', () =>
		String(error instanceof Error ? error.stack : error),
	);
	finish();
});
