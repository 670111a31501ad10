/**
 * npl-balance: on any message, the account's credit balance in msg.payload ({ balance }, and
 * belowThreshold when a threshold is set), for a low-balance alert on a schedule. With "only when
 * it crosses the threshold", a message goes out once when the balance falls below it, and again
 * only after it has been at or above it (the engine's balance watch, state in the node's context).
 */
import { readBalanceWatchState, watchBalance } from '../../engine/alerts/balanceWatch';
import { accountFor, clientFor, invalidPasswordProblem, isAccountProblem, isInvalidPassword } from './lib/accountApi';
import type { Node, NodeAPI, NodeDef } from './lib/red';
import { StatusLine } from './lib/statusLine';

interface BalanceDef extends NodeDef {
	account?: string;
	/** Credits; empty for none. */
	threshold?: string | number;
	/** Send only when the balance falls below the threshold (needs one). */
	onlyWhenCrossed?: boolean;
}

/** The node context key of the balance watch's state. */
const WATCH_KEY = 'balanceWatch';

/** See npl-lookup: close ends within a second. */
const CLOSE_DRAIN_MS = 800;

export = function register(RED: NodeAPI): void {
	function NplBalanceNode(this: Node, def: BalanceDef): void {
		RED.nodes.createNode(this, def);
		const stop = new AbortController();
		const status = new StatusLine(this);
		const inFlight = new Set<Promise<void>>();
		const rawThreshold = String(def.threshold ?? '').trim();
		const threshold = rawThreshold === '' ? null : Number(rawThreshold);
		const onlyWhenCrossed = def.onlyWhenCrossed === true;
		const problem =
			threshold !== null && !Number.isFinite(threshold)
				? `Threshold is "${rawThreshold}": use a number of credits, or leave it empty.`
				: onlyWhenCrossed && threshold === null
					? '"Only when it crosses the threshold" needs a Threshold: set one, or untick it.'
					: null;
		if (problem) this.error(problem);

		this.on('input', (message, send, done) => {
			if (problem) return done(new Error(problem));
			let client;
			try {
				client = clientFor(RED, def.account, { includeMsc: false });
			} catch (error) {
				if (!isAccountProblem(error)) throw error;
				status.set({ fill: 'red', shape: 'ring', text: 'account: see the log' });
				return done(error);
			}
			const asked = client.balance(stop.signal).then(
				(balance) => {
					const below = threshold !== null && balance < threshold;
					const credits = `${balance.toLocaleString('en-US')} credits`;
					status.set({
						fill: below ? 'yellow' : 'green',
						shape: 'dot',
						text: below ? `${credits}, below ${threshold}` : credits,
					});
					if (onlyWhenCrossed && threshold !== null) {
						const context = this.context();
						const watch = watchBalance(readBalanceWatchState(context.get(WATCH_KEY)), balance, {
							threshold,
							remindEveryPolls: 0,
						});
						context.set(WATCH_KEY, watch.next);
						if (!watch.fire) return done();
						message.payload = { balance, belowThreshold: true, threshold, previousBalance: watch.previousBalance };
					} else {
						message.payload = threshold === null ? { balance } : { balance, belowThreshold: below };
					}
					send(message);
					done();
				},
				(error: unknown) => {
					// Stopped by close: the flow is gone; nothing to say.
					if (stop.signal.aborted) return;
					const invalid = isInvalidPassword(error);
					// A plain Error: the engine's class name means nothing to the user.
					const reported = invalid
						? invalidPasswordProblem(accountFor(RED, def.account).name || 'Number Portability Lookup account')
						: new Error((error as Error).message);
					status.set({ fill: 'red', shape: 'ring', text: invalid ? 'FAIL Invalid password' : 'balance failed' });
					done(reported);
				},
			);
			inFlight.add(asked);
			void asked.finally(() => inFlight.delete(asked));
		});

		this.on('close', (_removed, done) => {
			stop.abort();
			status.stop();
			let timer: NodeJS.Timeout | undefined;
			void Promise.race([
				Promise.all(inFlight),
				new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_DRAIN_MS))),
			]).then(() => {
				clearTimeout(timer);
				done();
			});
		});
	}

	RED.nodes.registerType('npl-balance', NplBalanceNode as never);
};
