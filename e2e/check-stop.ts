/**
 * Checks the stop scenario of the end-to-end test: 20,000 numbers at 2 s a request (80 s of
 * lookups at the bound), ended after 8 s by the workflow's Timeout setting
 * (`settings.executionTimeout`, which `n8n execute` honours; it stops the run the way the
 * editor's Stop button does). Prints `ok - …` / `not ok - …` lines like e2e/check.ts.
 *
 * n8n 2.x's `n8n execute` waits for the node to settle after a stop, so a node that ignored it
 * would show here as requests after the stop and a late exit. n8n 1.x's exits at the stop without
 * waiting, which ends the node with the process: there the check holds either way, and the
 * in-process tests (test/node/stop.test.ts) are what prove the behaviour.
 *
 *   tsx e2e/check-stop.ts --stdout <file> --stderr <file> --exit-code <n> --sandbox <info.json>
 *     (E2E_EXEC_ENDED_MS: when `n8n execute` returned, ms since the epoch)
 *
 * The moment of the stop is read where it shows: the sandbox sees the requests in flight at the
 * stop closed by the client. After it, no request may start, and n8n must end soon after: a node
 * that ignored the stop would keep n8n running (and spending) to the end of the list.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** A request that starts this long after the stop counts as started after it. */
const START_MARGIN_MS = 50;
/** n8n execute returns within this of the stop (the node settles within 1 s; n8n then exits). */
const EXIT_WITHIN_MS = 10_000;
const TOTAL_REQUESTS = 200;

interface RequestRecord {
	kind: string;
	numbers: string[];
	startedAt: number;
	finishedAt: number | null;
	clientAborted: boolean;
	charged: number;
}

let passed = 0;
let failed = 0;
function check(condition: boolean, what: string, detail?: () => string): boolean {
	if (condition) passed++;
	else failed++;
	console.log(`${condition ? 'ok' : 'not ok'} - ${what}${!condition && detail ? `: ${detail()}` : ''}`);
	return condition;
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			scenario: { type: 'string' },
			stdout: { type: 'string' },
			stderr: { type: 'string' },
			'exit-code': { type: 'string' },
			sandbox: { type: 'string' },
			'ledger-before': { type: 'string' },
		},
	});
	if (!values.stderr || !values.sandbox) {
		console.error('usage: check-stop.ts --stderr <file> --sandbox <info.json> [--stdout <file>] [--exit-code <n>]');
		process.exit(2);
	}
	const read = (file?: string) => (file && existsSync(file) ? readFileSync(file, 'utf8') : '');
	const said = read(values.stdout) + read(values.stderr);
	const endedAt = Number(process.env.E2E_EXEC_ENDED_MS);
	const sandbox = JSON.parse(readFileSync(values.sandbox, 'utf8')) as { adminUrl: string };

	check(said.includes('The execution was cancelled because it timed out'), "n8n ended the execution with the workflow's timeout", () =>
		`exit code ${values['exit-code']}; n8n said: ${said.slice(-300)}`,
	);
	const requests = ((await (await fetch(`${sandbox.adminUrl}/requests`)).json()) as RequestRecord[]).filter(
		(r) => r.kind === 'lookup',
	);
	check(requests.length > 0, 'the node had started looking numbers up');
	const aborted = requests.filter((r) => r.clientAborted && r.finishedAt !== null);
	if (!check(aborted.length > 0, 'the requests in flight at the stop were aborted by the node', () => `${requests.length} requests, none left by the client`)) {
		finish();
		return;
	}
	const stopAt = Math.min(...aborted.map((r) => r.finishedAt as number));
	const late = requests.filter((r) => r.startedAt > stopAt + START_MARGIN_MS);
	check(late.length === 0, `no request started more than ${START_MARGIN_MS} ms after the stop`, () =>
		`${late.length} did, the first ${late[0].startedAt - stopAt} ms after`,
	);
	check(requests.length < TOTAL_REQUESTS, `the run stopped early (${requests.length} of ${TOTAL_REQUESTS} requests sent)`);
	const sentBefore = requests.filter((r) => r.startedAt <= stopAt + START_MARGIN_MS).reduce((sum, r) => sum + r.numbers.length, 0);
	const charged = requests.reduce((sum, r) => sum + r.charged, 0);
	check(charged <= sentBefore, `credits charged (${charged}) ≤ the numbers sent before the stop (${sentBefore})`);
	check(
		Number.isFinite(endedAt) && endedAt - stopAt < EXIT_WITHIN_MS,
		`n8n execute returned within ${EXIT_WITHIN_MS / 1000} s of the stop (the node did not keep it running)`,
		() => `${(endedAt - stopAt) / 1000} s after`,
	);
	finish();
}

function finish(): void {
	console.log(`# ${passed} passed, ${failed} failed`);
	process.exitCode = failed === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
	check(false, 'the checker itself ran', () => String(error instanceof Error ? error.stack : error));
	finish();
});
