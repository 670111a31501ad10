/**
 * When a balance alert fires: once when the balance falls below the threshold, again only after
 * it has been back at or above it, plus an optional reminder every N polls while it stays low.
 * Pure and host-neutral: the host keeps the state between polls (n8n: the workflow's static
 * data; Node-RED: the node's context) and asks for the balance; this decides.
 */

/** What is remembered between two polls. Plain JSON: hosts store it as it is. */
export interface BalanceWatchState {
	/** The balance the last successful poll saw. */
	lastBalance: number;
	/** Whether that balance was below the threshold. */
	below: boolean;
	/** Polls since the alert (or the last reminder) fired, while the balance stayed below. */
	pollsSinceAlert: number;
}

export interface BalanceWatchSettings {
	/** The alert fires when the balance is below this (strictly); at or above it re-arms it. */
	threshold: number;
	/** While still below, fire again every this many polls; 0 never. */
	remindEveryPolls: number;
}

export interface BalanceWatchDecision {
	/** 'crossed': it fell below; 'reminder': it is still below after N polls; null: nothing to say. */
	fire: 'crossed' | 'reminder' | null;
	/** The balance of the previous poll, null on the first poll. */
	previousBalance: number | null;
	/** What to remember for the next poll. */
	next: BalanceWatchState;
}

/**
 * Decides one poll. With no state (the first poll after the alert was switched on) the balance
 * counts as having been above the threshold: a balance already low fires once, straight away.
 */
export function watchBalance(
	previous: BalanceWatchState | undefined,
	balance: number,
	settings: BalanceWatchSettings,
): BalanceWatchDecision {
	const previousBalance = previous ? previous.lastBalance : null;
	const below = balance < settings.threshold;
	if (!below) {
		return {
			fire: null,
			previousBalance,
			next: { lastBalance: balance, below: false, pollsSinceAlert: 0 },
		};
	}
	if (!previous?.below) {
		return {
			fire: 'crossed',
			previousBalance,
			next: { lastBalance: balance, below: true, pollsSinceAlert: 0 },
		};
	}
	const polls = previous.pollsSinceAlert + 1;
	const remind = settings.remindEveryPolls > 0 && polls >= settings.remindEveryPolls;
	return {
		fire: remind ? 'reminder' : null,
		previousBalance,
		next: { lastBalance: balance, below: true, pollsSinceAlert: remind ? 0 : polls },
	};
}

/**
 * The state read back from wherever the host kept it: anything missing or malformed (an older
 * version's data, a hand-edited workflow) counts as no state, never as a wrong one.
 */
export function readBalanceWatchState(stored: unknown): BalanceWatchState | undefined {
	if (typeof stored !== 'object' || stored === null) return undefined;
	const { lastBalance, below, pollsSinceAlert } = stored as Record<string, unknown>;
	if (
		typeof lastBalance !== 'number' ||
		!Number.isFinite(lastBalance) ||
		typeof below !== 'boolean'
	) {
		return undefined;
	}
	const polls =
		typeof pollsSinceAlert === 'number' && pollsSinceAlert >= 0 ? Math.floor(pollsSinceAlert) : 0;
	return { lastBalance, below, pollsSinceAlert: polls };
}
