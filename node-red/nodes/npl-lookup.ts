/**
 * npl-lookup: looks up the phone numbers of each message (msg.payload: one number, a list in
 * text, or an array) and sends one message per number on the output of its route. A thin
 * adapter: the engine normalises, pools, sends, survives the service and types the answers;
 * this node collects messages into batches (lib/messageBatches.ts) and turns results into
 * messages (lib/resultMessages.ts).
 */
import { setMaxListeners } from 'node:events';

import { splitNumberList } from '../../engine/numbers/splitNumberList';
import { routeNamesFor } from '../../engine/results/routes';
import { summariseRun } from '../../engine/results/runSummary';
import { accountFor, clientFor, invalidPasswordProblem, isAccountProblem } from './lib/accountApi';
import { readLookupSettings, type LookupDef } from './lib/lookupSettings';
import { MessageBatches, type FinishedBatch } from './lib/messageBatches';
import type { Node, NodeAPI } from './lib/red';
import { sendResults } from './lib/resultMessages';
import { RunStatus } from './lib/runStatus';
import { StatusLine } from './lib/statusLine';

/**
 * Close must end within a second (Node-RED waits for it on every deploy): the stop aborts every
 * request at once, and the batches get this long to settle.
 */
const CLOSE_DRAIN_MS = 800;

export = function register(RED: NodeAPI): void {
	function NplLookupNode(this: Node, def: LookupDef): void {
		RED.nodes.createNode(this, def);
		const { settings, problem } = readLookupSettings(def);
		const routeNames = routeNamesFor(settings.routeBy);
		const stop = new AbortController();
		// Every batch's run listens to the node's stop: more than Node's default of 10 at once.
		setMaxListeners(0, stop.signal);
		const status = new StatusLine(this);
		const run = new RunStatus(routeNames);
		if (problem) {
			this.error(problem);
			status.set({ fill: 'red', shape: 'ring', text: 'invalid settings (see the log)' });
		}

		const batches = new MessageBatches({
			settings,
			signal: stop.signal,
			log: { info: (message) => this.log(message) },
			label: `npl-lookup "${def.name || this.id}"`,
			onProgress: () => status.set(batches.busy ? run.progress(batches.progress()) : run.outcome()),
			onFinished: async (batch) => await finished(batch),
			onFailed: (error) => this.error(error),
		});

		const finished = async ({ messages, results, report, durationMs }: FinishedBatch): Promise<void> => {
			// Stopped (a redeploy, Node-RED shutting down): the flow is gone, nothing is sent, as
			// Node-RED drops every message in flight on a redeploy.
			if (report.stopped) return;
			if (report.invalidCredentials) {
				const error = invalidPasswordProblem(accountNameOf(def.account));
				run.batchFailed('FAIL Invalid password');
				for (const { done } of messages) done(error);
				return;
			}
			run.batchFinished(report);
			const summary = summariseRun(report, settings, durationMs);
			this.debug(summary.info);
			// Said once per batch: what the user can change (10 per request, rate limits, credit).
			for (const warning of summary.warnings) this.warn(warning.replace(/ \(under Options\)/g, ''));
			await sendResults(messages, results, routeNames, RED.util.cloneMessage);
		};

		const accountNameOf = (id: string | undefined): string => {
			try {
				return accountFor(RED, id).name || 'Number Portability Lookup account';
			} catch {
				return 'Number Portability Lookup account';
			}
		};

		this.on('input', (message, send, done) => {
			if (problem) return done(new Error(problem));
			if (!batches.busy) run.batchStarted();
			try {
				// The account's client is opened for a new batch only (the others join it); an
				// account the user must fix sends this message to Catch.
				batches.add({ message, send, done }, splitNumberList(message.payload), () =>
					clientFor(RED, def.account, { includeMsc: settings.includeMsc }),
				);
			} catch (error) {
				if (!isAccountProblem(error)) throw error;
				status.set({ fill: 'red', shape: 'ring', text: 'account: see the log' });
				done(error);
			}
		});

		this.on('close', (_removed, done) => {
			stop.abort();
			status.stop();
			void batches.drain(CLOSE_DRAIN_MS).then(() => done());
		});
	}

	RED.nodes.registerType('npl-lookup', NplLookupNode as never);
};
