/**
 * The real-n8n side of e2e/trigger.sh: examples/balance-alert.json active in `n8n start` (its
 * trigger polling every 20 s), the sandbox's balance moved below the threshold, and what n8n did
 * about it read back through n8n's own REST API (the executions list the editor shows).
 *
 *   tsx e2e/trigger-check.ts mark --sandbox <info.json>
 *       prints the id of the sandbox's last request: polls are counted after it
 *   tsx e2e/trigger-check.ts run --sandbox <info.json> --n8n <base url> --workflow <id>
 *       --trigger <node name> --alert <node name> --threshold <n> --after <request id> --flatted <dir>
 *       the scenario; prints "ok - …" / "not ok - …" lines (e2e/run.sh records them)
 *
 * The scenario:
 *   1. n8n polls on activation and on its schedule: two polls at or above the threshold start
 *      no execution;
 *   2. a lookup of a few numbers spends the balance below the threshold: the next poll starts
 *      exactly one execution, whose trigger item holds the balance, the threshold, the balance
 *      before and the time, and reaches the alert node;
 *   3. two more polls while the balance is still low start nothing.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { ownerSession, type Session } from './queue/n8nRest';

interface SandboxInfo {
	url: string;
	adminUrl: string;
	user: string;
	password: string;
}

interface RequestRecord {
	id: number;
	kind: string;
	account: string | null;
	outcome: string;
}

interface ExecutionSummary {
	id: string;
	status: string;
	mode: string;
}

let failed = 0;
function check(ok: boolean, what: string, detail?: () => string): boolean {
	if (ok) console.log(`ok - ${what}`);
	else {
		failed += 1;
		console.log(`not ok - ${what}${detail ? ` (${detail()})` : ''}`);
	}
	return ok;
}

/** n8n's execution statuses once it is over (ExecutionStatus in n8n-workflow). */
const FINISHED = ['success', 'error', 'crashed', 'canceled'];

const show = (value: unknown) => JSON.stringify(value)?.slice(0, 400) ?? 'undefined';

async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
	const response = await fetch(url, init);
	const text = await response.text();
	if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${text.slice(0, 200)}`);
	return JSON.parse(text) as T;
}

async function requestsAfter(sandbox: SandboxInfo, after: number): Promise<RequestRecord[]> {
	const all = await getJson<RequestRecord[]>(`${sandbox.adminUrl}/requests`);
	return all.filter((record) => record.id > after);
}

/** The balance polls of the account the workflow uses, since request `after`. */
async function polls(sandbox: SandboxInfo, after: number): Promise<RequestRecord[]> {
	return (await requestsAfter(sandbox, after)).filter(
		(record) => record.kind === 'balance' && record.account === sandbox.user,
	);
}

async function balanceOf(sandbox: SandboxInfo): Promise<number> {
	const accounts = await getJson<Array<{ user: string; balance: number }>>(
		`${sandbox.adminUrl}/accounts`,
	);
	const account = accounts.find((a) => a.user === sandbox.user);
	if (!account) throw new Error(`the sandbox has no account ${sandbox.user}`);
	return account.balance;
}

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(
	what: string,
	probe: () => Promise<T>,
	done: (value: T) => boolean,
	timeoutMs: number,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (done(value) || Date.now() > deadline) {
			if (!done(value)) console.log(`# gave up waiting for ${what} after ${timeoutMs / 1000} s`);
			return value;
		}
		await sleep(500);
	}
}

/** Spends credit the way a user would: one lookup request of `count` valid numbers. */
async function spend(sandbox: SandboxInfo, count: number): Promise<void> {
	const msisdn = Array.from(
		{ length: count },
		(_, i) => `4477884${String(i).padStart(5, '0')}`,
	).join(',');
	const body = new URLSearchParams({
		user: sandbox.user,
		pass: sandbox.password,
		msisdn,
		format: 'json',
	});
	const response = await fetch(sandbox.url, { method: 'POST', body });
	const text = await response.text();
	if (!response.ok || !text.startsWith('['))
		throw new Error(
			`the lookup to spend credit failed: HTTP ${response.status} ${text.slice(0, 200)}`,
		);
}

async function rest<T>(session: Session, path: string): Promise<T> {
	return await getJson<T>(`${session.baseUrl}${path}`, {
		headers: { 'browser-id': 'npl-queue-e2e', cookie: session.cookie },
	});
}

async function executionsOf(session: Session, workflowId: string): Promise<ExecutionSummary[]> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const body = await rest<{ data: { results?: ExecutionSummary[] } | ExecutionSummary[] }>(
		session,
		`/rest/executions?filter=${filter}&limit=50`,
	);
	const results = Array.isArray(body.data) ? body.data : (body.data.results ?? []);
	return results.map((e) => ({ id: String(e.id), status: e.status, mode: e.mode }));
}

type RunData = Record<
	string,
	Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> } }>
>;

/** The execution's run data (n8n sends it serialised with flatted, as it stores it). */
async function runDataOf(
	session: Session,
	id: string,
	parse: (text: string) => unknown,
): Promise<RunData> {
	const body = await rest<{ data: { data: unknown } }>(session, `/rest/executions/${id}`);
	const data = (typeof body.data.data === 'string' ? parse(body.data.data) : body.data.data) as {
		resultData?: { runData?: RunData };
	};
	return data?.resultData?.runData ?? {};
}

const firstItem = (runData: RunData, node: string) =>
	runData[node]?.[0]?.data?.main?.[0]?.[0]?.json;

async function run(values: Record<string, string | undefined>): Promise<void> {
	const sandbox = JSON.parse(readFileSync(values.sandbox!, 'utf8')) as SandboxInfo;
	const threshold = Number(values.threshold);
	const after = Number(values.after);
	const trigger = values.trigger!;
	const alert = values.alert!;
	const workflowId = values.workflow!;
	// flatted, from the n8n install: the format n8n stores and sends executions in.
	const { parse } = createRequire(join(values.flatted!, 'package.json'))('flatted') as {
		parse: (text: string) => unknown;
	};
	const session = await ownerSession(values.n8n!);
	const POLL_WAIT_MS = 90_000;

	// 1. At or above the threshold: the activation poll and one scheduled poll, no execution.
	const balanceBefore = await balanceOf(sandbox);
	console.log(`# balance ${balanceBefore}, threshold ${threshold}`);
	const first = await waitFor(
		'two polls',
		async () => await polls(sandbox, after),
		(p) => p.length >= 2,
		POLL_WAIT_MS,
	);
	check(
		first.length >= 2,
		`n8n polled the balance on activation and on its schedule (${first.length} polls)`,
	);
	check(
		first.every((record) => record.outcome === 'ok'),
		'each poll was answered (the credential reached the sandbox)',
		() => show(first.map((record) => record.outcome)),
	);
	const quiet = await executionsOf(session, workflowId);
	check(
		quiet.length === 0,
		`no execution while the balance (${balanceBefore}) is at or above ${threshold}`,
		() => show(quiet),
	);

	// 2. Below the threshold: exactly one execution.
	await spend(sandbox, 10);
	const balanceLow = await balanceOf(sandbox);
	const pollsBeforeDrop = (await polls(sandbox, after)).length;
	console.log(`# spent 10 credits: balance ${balanceLow}`);
	const seen = new Set(quiet.map((execution) => execution.id));
	const newExecutions = async () =>
		(await executionsOf(session, workflowId)).filter((e) => !seen.has(e.id));
	// Listed from its start ("new", "running"): wait until it has finished too.
	const fired = await waitFor(
		'an execution to finish',
		newExecutions,
		(e) => e.length >= 1 && e.every((execution) => FINISHED.includes(execution.status)),
		POLL_WAIT_MS,
	);
	check(fired.length === 1, 'the next poll below the threshold started one execution', () =>
		show(fired),
	);
	if (fired.length === 0) return;
	check(fired[0].status === 'success', `the execution succeeded (mode ${fired[0].mode})`, () =>
		show(fired[0]),
	);
	const runData = await runDataOf(session, fired[0].id, parse);
	const item = firstItem(runData, trigger);
	check(
		item?.balance === balanceLow &&
			item?.threshold === threshold &&
			item?.previousBalance === balanceBefore,
		`the trigger item holds balance ${balanceLow}, threshold ${threshold}, previousBalance ${balanceBefore}`,
		() => show(item),
	);
	check(
		typeof item?.checkedAt === 'string' &&
			!Number.isNaN(Date.parse(item.checkedAt)) &&
			new Date(item.checkedAt).toISOString() === item.checkedAt,
		'checkedAt is an ISO time',
		() => show(item?.checkedAt),
	);
	check(
		show(firstItem(runData, alert)) === show(item),
		`the alert node ("${alert}", stubbed) received that item`,
		() => show(Object.keys(runData)),
	);

	// 3. Still low: two more polls, no more executions.
	const pollsAtFire = (await polls(sandbox, after)).length;
	const later = await waitFor(
		'two more polls',
		async () => await polls(sandbox, after),
		(p) => p.length >= pollsAtFire + 2,
		POLL_WAIT_MS,
	);
	check(
		later.length >= pollsAtFire + 2,
		`n8n kept polling while the balance stayed low (${later.length - pollsAtFire} more polls)`,
	);
	const after2 = await newExecutions();
	check(
		after2.length === 1,
		'no second execution while the balance stays below the threshold',
		() => show(after2),
	);
	check(
		(await requestsAfter(sandbox, after)).filter((r) => r.kind === 'lookup').length === 1,
		'the trigger spent nothing: the only lookup is the one that lowered the balance',
	);
	console.log(`# polls: ${pollsBeforeDrop} before the drop, ${later.length} in all`);
}

async function main(): Promise<void> {
	const { positionals, values } = parseArgs({
		allowPositionals: true,
		options: {
			sandbox: { type: 'string' },
			n8n: { type: 'string' },
			workflow: { type: 'string' },
			trigger: { type: 'string' },
			alert: { type: 'string' },
			threshold: { type: 'string' },
			after: { type: 'string' },
			flatted: { type: 'string' },
		},
	});
	const [command] = positionals;
	if (command === 'mark' && values.sandbox) {
		const sandbox = JSON.parse(readFileSync(values.sandbox, 'utf8')) as SandboxInfo;
		const all = await getJson<RequestRecord[]>(`${sandbox.adminUrl}/requests`);
		console.log(all.reduce((max, record) => Math.max(max, record.id), 0));
		return;
	}
	const required = [
		'sandbox',
		'n8n',
		'workflow',
		'trigger',
		'alert',
		'threshold',
		'after',
		'flatted',
	] as const;
	if (command !== 'run' || required.some((key) => values[key] === undefined)) {
		console.error(
			`usage: trigger-check.ts mark --sandbox <info> | run ${required.map((k) => `--${k} …`).join(' ')}`,
		);
		process.exit(2);
	}
	try {
		await run(values);
	} catch (error) {
		check(false, 'the trigger scenario ran to its end', () =>
			String(error instanceof Error ? error.stack : error),
		);
	}
	console.log(`# ${failed === 0 ? 'all passed' : `${failed} failed`}`);
	process.exitCode = failed === 0 ? 0 : 1;
}

void main();
