/**
 * One scenario of the queue-mode cluster test (e2e/queue/run.sh starts the cluster and calls
 * this once per scenario). Prints `ok - …` / `not ok - …` per check and `# …` figures, and writes
 * the figures to <work>/figures-<scenario>.json (BENCHMARKS.md is made from them).
 *
 *   tsx e2e/queue/scenario.ts batch|stop|kill|control --work <dir> --main-url <url>
 *     --sandbox <e2e/sandbox.ts info file> --workers name=pgid:log,... [--latency-ms 200]
 *     [--round N]   (batch: the Nth batch in the same cluster, 0-7, each with numbers of its own)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import {
	allowedBatchMs,
	answersProblems,
	chargeProblems,
	check,
	note,
	overLimit,
	seconds,
	socketFigures,
	socketsHeld,
} from './checks';
import { LANE_CREDIT, laneNamed, type Lane } from './lanes';
import { ownerSession, stopExecution } from './n8nRest';
import { creditsSpent, readAccount } from './sandboxAdmin';
import { fireBatch, numberLists, type Answer } from './webhookBatch';
import { executionsOf, parseWorkers, workerByExecution, type Worker } from './workerLogs';

/** The sandbox's limit and the node's settings in the lanes' workflows. */
const CONNECTIONS = 5;
const PER_REQUEST = 100;
const EXECUTIONS = 12;
const PER_EXECUTION = 1_000;
/** Each lane's numbers start here: no number is shared between lanes (nor between rounds). */
const FIRST_NUMBER: Record<string, number> = {
	batch: 0,
	kill: 100_000,
	control: 200_000,
	stop: 300_000,
	single: 400_000,
};

interface Context {
	work: string;
	mainUrl: string;
	adminUrl: string;
	workers: Worker[];
	latencyMs: number;
	/** Which batch this is in the same cluster (npm run bench:queue runs several). */
	round: number;
	figures: Record<string, unknown>;
}

/** Files of a round after the first carry its number (figures-batch-2.json). */
const roundSuffix = (ctx: Context) => (ctx.round ? `-${ctx.round}` : '');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const webhookUrl = (ctx: Context, lane: Lane) => `${ctx.mainUrl}/webhook/${lane.path}`;

/** Executions the workers started that are not in `before`, by worker. */
function newExecutions(
	ctx: Context,
	before: Set<string>,
): Map<string, { started: string[]; running: string[] }> {
	const result = new Map<string, { started: string[]; running: string[] }>();
	for (const worker of ctx.workers) {
		const { started, finished } = executionsOf(worker);
		const mine = [...started].filter((id) => !before.has(id));
		result.set(worker.name, { started: mine, running: mine.filter((id) => !finished.has(id)) });
	}
	return result;
}

/** Webhook calls still waiting when a scenario fails are given up, so that the process ends. */
const callers: AbortController[] = [];
function caller(): AbortController {
	const controller = new AbortController();
	callers.push(controller);
	return controller;
}

/** What each worker's log says of the executions since `before`, for a failure message. */
function workersState(ctx: Context, before: Set<string>): string {
	return [...newExecutions(ctx, before)]
		.map(
			([name, { started, running }]) =>
				`${name}: ${started.length} started, ${running.length} running`,
		)
		.join('; ');
}

const allStarted = (ctx: Context) => new Set(workerByExecution(ctx.workers).keys());

async function waitFor(
	what: string | (() => string),
	timeoutMs: number,
	condition: () => Promise<boolean> | boolean,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await condition())) {
		if (Date.now() > deadline)
			throw new Error(
				`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`,
			);
		await sleep(50);
	}
}

/** The time the bound C·B/L allows for `numbers`, in ms. */
const boundMs = (ctx: Context, numbers: number) =>
	numbers / ((CONNECTIONS * PER_REQUEST) / ctx.latencyMs);

/** When the batch's requests reached the sandbox and when its answers came back. */
function timeline(
	ctx: Context,
	answers: readonly Answer[],
	requests: ReadonlyArray<{ startedAt: number; finishedAt: number | null }>,
) {
	const sentAt = Math.min(...answers.map((a) => a.sentAt));
	const firstRequest = Math.min(...requests.map((r) => r.startedAt));
	const lastResponse = Math.max(...requests.map((r) => r.finishedAt ?? r.startedAt));
	const answered = answers.filter((a) => a.answeredAt !== null).map((a) => a.answeredAt as number);
	const lastAnswer = answered.length ? Math.max(...answered) : NaN;
	const numbers = answers.reduce((n, a) => n + a.numbers.length, 0);
	// How busy the account's connections were: request time over C × the lookups' window.
	const busyMs = requests.reduce((ms, r) => ms + ((r.finishedAt ?? r.startedAt) - r.startedAt), 0);
	return {
		utilisation: busyMs / (CONNECTIONS * (lastResponse - firstRequest)),
		numbers,
		boundMs: boundMs(ctx, numbers),
		startupMs: firstRequest - sentAt,
		lookupsMs: lastResponse - firstRequest,
		tailMs: lastAnswer - lastResponse,
		totalMs: lastAnswer - sentAt,
	};
}

function noteTimeline(t: ReturnType<typeof timeline>) {
	note(
		`${t.numbers} numbers: total ${seconds(t.totalMs)} = n8n start-up ${seconds(t.startupMs)} (first POST to first request)` +
			` + lookups ${seconds(t.lookupsMs)} (${(t.lookupsMs / t.boundMs).toFixed(2)} × the bound ${seconds(t.boundMs)})` +
			` + answers back ${seconds(t.tailMs)}; the ${CONNECTIONS} connections busy ${(100 * t.utilisation).toFixed(0)}% of the lookups' time`,
	);
}

async function batch(ctx: Context, laneName: 'batch' | 'control' | 'single'): Promise<void> {
	const lane = laneNamed(laneName);
	const perRound = EXECUTIONS * PER_EXECUTION;
	if (ctx.round < 0 || (ctx.round + 1) * perRound > 100_000)
		throw new Error(`--round ${ctx.round}: 0-7 (the lanes' numbers are 100,000 apart)`);
	const lists = numberLists(
		EXECUTIONS,
		PER_EXECUTION,
		FIRST_NUMBER[laneName] + ctx.round * perRound,
	);
	const answers = await fireBatch(webhookUrl(ctx, lane), lists, AbortSignal.timeout(180_000));
	const account = await readAccount(ctx.adminUrl, lane.user);
	// This round's requests only (the account's peak and refusals count every round so far).
	const listOf = new Map(answers.flatMap((a) => a.numbers.map((n) => [n, a.index] as const)));
	const view = {
		...account,
		requests: account.requests.filter((r) => listOf.has(r.numbers[0] ?? '')),
	};
	const byExecution = workerByExecution(ctx.workers);
	const perWorker = new Map<string, number>();
	for (const a of answers) {
		const worker = (a.executionId && byExecution.get(a.executionId)) || 'no worker';
		perWorker.set(worker, (perWorker.get(worker) ?? 0) + 1);
	}
	const spread = [...perWorker].map(([w, n]) => `${w}: ${n}`).join(', ');
	const t = timeline(ctx, answers, view.requests);
	// Every request's times, socket and execution, and every execution's, to see where the
	// connections sat idle.
	writeFileSync(
		join(ctx.work, `requests-${laneName}${roundSuffix(ctx)}.json`),
		JSON.stringify({
			requests: view.requests.map(({ id, socketId, startedAt, finishedAt, outcome, numbers }) => ({
				id,
				socketId,
				list: listOf.get(numbers[0] ?? '') ?? null,
				startedAt,
				finishedAt,
				outcome,
			})),
			executions: answers.map(({ index, executionId, sentAt, answeredAt }) => ({
				list: index,
				executionId,
				worker: (executionId && byExecution.get(executionId)) || null,
				sentAt,
				answeredAt,
			})),
		}),
	);
	const answerProblems = answersProblems(answers);
	const charges = chargeProblems(view, answers);
	ctx.figures[laneName] = {
		...t,
		peakSockets: view.peakSockets,
		refused: view.refused,
		requests: view.requests.length,
		spread,
		answerProblems: answerProblems.length,
	};
	noteTimeline(t);
	note(`${socketFigures(view)}; executions by worker: ${spread}`);

	if (laneName === 'control') {
		check(
			overLimit(view, CONNECTIONS),
			`without coordination the account goes over its limit, so the socket check can fail: refusals or more than ${CONNECTIONS} sockets (${socketFigures(view)})`,
		);
		note(
			`control: ${answers.length - answerProblems.length} of ${answers.length} executions answered in full; ${charges.length ? charges.join('; ') : 'each number charged once'}`,
		);
		return;
	}
	if (laneName === 'single') {
		// A reference, not a check: one process, no cross-process coordination needed.
		note(
			`single worker: ${answers.length - answerProblems.length} of ${answers.length} executions answered in full`,
		);
		check(
			socketsHeld(view, CONNECTIONS),
			`one worker alone keeps the account's limit (${socketFigures(view)})`,
		);
		return;
	}
	check(
		!perWorker.has('no worker') && perWorker.size >= 2,
		`the ${EXECUTIONS} executions ran on at least 2 workers (${spread})`,
	);
	check(
		socketsHeld(view, CONNECTIONS),
		`the account's peak open sockets ≤ ${CONNECTIONS} and no connection refused (${socketFigures(view)})`,
		() => 'over the limit',
	);
	check(
		answerProblems.length === 0 && charges.length === 0,
		`every execution answered with one item per number (${EXECUTIONS} × ${PER_EXECUTION}), looked up, on Valid, typed; every number charged once`,
		() => [...answerProblems, ...charges].slice(0, 3).join('; '),
	);
	const allowedMs = allowedBatchMs(t.boundMs, t.startupMs);
	const within = answerProblems.length === 0 && t.totalMs <= allowedMs;
	const what = `the batch finished in ${seconds(t.totalMs)} ≤ 1.25 × ${seconds(t.boundMs)} (the bound at C=${CONNECTIONS}, B=${PER_REQUEST}, L=${ctx.latencyMs} ms) + n8n's start-up ${seconds(t.startupMs)} = ${seconds(allowedMs)}`;
	// Speed targets are judged in benchmarks, not in timed tests: npm run bench:queue checks it on
	// the median of 7 batches. Here it is measured and reported, a check where asked for.
	if (process.env.QUEUE_TIME_CHECK === 'strict') {
		check(within, what, () =>
			answerProblems.length ? 'not every execution answered in full' : 'too slow',
		);
	} else {
		note(`${within ? 'met' : 'NOT met'}: ${what} (a check with QUEUE_TIME_CHECK=strict)`);
	}
}

async function kill(ctx: Context): Promise<void> {
	const lane = laneNamed('kill');
	const lists = numberLists(EXECUTIONS, PER_EXECUTION, FIRST_NUMBER.kill);
	const before = allStarted(ctx);
	const giveUp = caller();
	let answered = 0;
	const done = fireBatch(webhookUrl(ctx, lane), lists, giveUp.signal, (a) => {
		if (a.status === 200) answered++;
	});
	// Mid-run: a sixth of the numbers charged, and a worker running executions of this batch.
	let victim: Worker | undefined;
	await waitFor(
		() => `the batch to be under way on the workers (${workersState(ctx, before)})`,
		120_000,
		async () => {
			const running = newExecutions(ctx, before);
			const busiest = ctx.workers
				.map((w) => ({ w, n: running.get(w.name)?.running.length ?? 0 }))
				.sort((a, b) => b.n - a.n)[0];
			if (busiest.n === 0) return false;
			if (
				(await creditsSpent(ctx.adminUrl, lane.user, LANE_CREDIT)) <
				(EXECUTIONS * PER_EXECUTION) / 6
			)
				return false;
			victim = busiest.w;
			return true;
		},
	);
	if (!victim) throw new Error('no worker to kill');
	const lost = new Set(newExecutions(ctx, before).get(victim.name)?.running);
	const killedAt = Date.now();
	process.kill(-victim.pgid, 'SIGKILL');
	const spentAtKill = await creditsSpent(ctx.adminUrl, lane.user, LANE_CREDIT);
	note(
		`SIGKILL to ${victim.name} (process group ${victim.pgid}) with ${lost.size} executions of the batch running there, ${spentAtKill} numbers charged`,
	);
	// The killed worker's executions never answer (n8n fails stalled jobs after its lock, 60 s).
	await waitFor(
		'the other executions to answer',
		150_000,
		() => answered >= EXECUTIONS - lost.size,
	).catch((e: Error) => note(e.message));
	const othersDoneAt = Date.now();
	await sleep(1_000);
	giveUp.abort();
	const answers = await done;
	const view = await readAccount(ctx.adminUrl, lane.user);
	const others = answers.filter((a) => a.status === 200);
	const wrongWorker = others.filter((a) => a.executionId && lost.has(a.executionId));
	const problems = answersProblems(others);
	ctx.figures.kill = {
		victim: victim.name,
		lost: lost.size,
		othersFinishedAfterKillMs: othersDoneAt - killedAt,
		peakSockets: view.peakSockets,
		refused: view.refused,
		answered: others.length,
	};

	check(
		lost.size >= 1 && lost.size < EXECUTIONS,
		`a worker killed with SIGKILL mid-run (${victim.name}, ${lost.size} executions running on it, ${spentAtKill} of ${EXECUTIONS * PER_EXECUTION} numbers charged)`,
	);
	check(
		others.length === EXECUTIONS - lost.size && wrongWorker.length === 0 && problems.length === 0,
		`the other ${EXECUTIONS - lost.size} executions finished with all their items out (${others.length} answered, ${seconds(othersDoneAt - killedAt)} after the kill)`,
		() =>
			[
				...problems,
				...wrongWorker.map((a) => `execution ${a.executionId} answered from the killed worker`),
			]
				.slice(0, 3)
				.join('; ') || `${others.length} answered`,
	);
	check(
		socketsHeld(view, CONNECTIONS),
		`the account's peak open sockets stayed ≤ ${CONNECTIONS}, none refused (${socketFigures(view)})`,
		() => 'over the limit',
	);
}

async function stop(ctx: Context): Promise<void> {
	const lane = laneNamed('stop');
	const size = 10_000;
	const session = await ownerSession(ctx.mainUrl);
	const before = allStarted(ctx);
	const giveUp = caller();
	const done = fireBatch(
		webhookUrl(ctx, lane),
		numberLists(1, size, FIRST_NUMBER.stop),
		giveUp.signal,
	);
	let executionId = '';
	let worker = '';
	await waitFor('the execution to run on a worker and spend', 120_000, async () => {
		for (const [name, { running }] of newExecutions(ctx, before)) {
			if (running.length) [executionId, worker] = [running[0], name];
		}
		return (
			executionId !== '' && (await creditsSpent(ctx.adminUrl, lane.user, LANE_CREDIT)) >= 1_000
		);
	});
	const stopSentAt = Date.now();
	const status = await stopExecution(session, executionId).catch(
		(e: Error) => `error: ${e.message}`,
	);
	const stopAnsweredAt = Date.now();
	// Long enough for anything still scheduled to show: several request latencies.
	await sleep(Math.max(2_000, 5 * ctx.latencyMs));
	giveUp.abort();
	const [answer] = await done;
	const view = await readAccount(ctx.adminUrl, lane.user);
	const marginMs = 50;
	const late = view.requests.filter((r) => r.startedAt > stopAnsweredAt + marginMs);
	const lastStart = Math.max(...view.requests.map((r) => r.startedAt));
	const inFlight = view.requests.filter(
		(r) => r.startedAt <= stopAnsweredAt && (r.finishedAt ?? Infinity) > stopSentAt,
	);
	ctx.figures.stop = {
		worker,
		status,
		stopMs: stopAnsweredAt - stopSentAt,
		lastStartAfterStopMs: lastStart - stopAnsweredAt,
		late: late.length,
		inFlight: inFlight.length,
		aborted: inFlight.filter((r) => r.clientAborted).length,
		charged: view.charges.length,
	};
	note(
		`stop of execution ${executionId} on ${worker}: n8n answered "${status}" in ${stopAnsweredAt - stopSentAt} ms; ${view.charges.length} of ${size} numbers charged; ${inFlight.length} requests in flight at the stop (${inFlight.filter((r) => r.clientAborted).length} aborted by the client); the webhook call: ${answer.status ?? answer.error}`,
	);

	check(
		worker !== '',
		`the execution ran on a worker (${worker}, execution ${executionId}) and was stopped through n8n's REST API while running`,
	);
	check(status === 'canceled', `n8n answered the stop with status "canceled" (got "${status}")`);
	check(
		late.length === 0,
		`no request started after the stop (more than ${marginMs} ms after n8n answered it; the last one started ${lastStart - stopAnsweredAt} ms after)`,
		() =>
			`${late.length} requests started later, ${late.reduce((n, r) => n + r.numbers.length, 0)} numbers`,
	);
}

async function main(): Promise<void> {
	const { positionals, values } = parseArgs({
		allowPositionals: true,
		options: {
			work: { type: 'string' },
			'main-url': { type: 'string' },
			sandbox: { type: 'string' },
			workers: { type: 'string' },
			'latency-ms': { type: 'string', default: '200' },
			round: { type: 'string', default: '0' },
		},
	});
	if (!values.work || !values['main-url'] || !values.sandbox || !values.workers)
		throw new Error('missing --work, --main-url, --sandbox or --workers');
	const sandbox = JSON.parse(readFileSync(values.sandbox, 'utf8')) as { adminUrl: string };
	const ctx: Context = {
		work: values.work,
		mainUrl: values['main-url'],
		adminUrl: sandbox.adminUrl,
		workers: parseWorkers(values.workers),
		latencyMs: Number(values['latency-ms']),
		round: Number(values.round),
		figures: {},
	};
	const name = positionals[0];
	switch (name) {
		case 'batch':
		case 'control':
		case 'single':
			await batch(ctx, name);
			break;
		case 'kill':
			await kill(ctx);
			break;
		case 'stop':
			await stop(ctx);
			break;
		default:
			throw new Error(`unknown scenario ${name}`);
	}
	writeFileSync(
		join(ctx.work, `figures-${name}${roundSuffix(ctx)}.json`),
		JSON.stringify(ctx.figures, null, 2),
	);
}

main().catch((error: unknown) => {
	for (const controller of callers) controller.abort();
	console.log(
		`not ok - the scenario ran to its end: ${error instanceof Error ? error.message : String(error)}`,
	);
	process.exitCode = 1;
});
