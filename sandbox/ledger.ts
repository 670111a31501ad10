/**
 * What the sandbox charged, entry by entry, in charging order.
 *
 * An entry is written when a number's answer is produced: in streaming mode just before its
 * object is written to the socket, in buffered mode for every number when the whole answer is
 * built. `delivered` turns true once that object's bytes were handed to the socket in full
 * (the write callback reported success) before any drop or close. So a dropped connection leaves
 * charged-but-undelivered entries: the money is gone, the client never saw the result.
 */

export interface LedgerEntry {
	/** 1, 2, 3 ... in charging order (not reset by clear()). */
	readonly seq: number;
	readonly account: string;
	/** The number as answered (trimmed, without a leading '+'). */
	readonly msisdn: string;
	/** In credits: 1 or 1.2. */
	readonly cost: number;
	/** RequestRecord.id of the request that was charged. */
	readonly requestId: number;
	delivered: boolean;
	/** Date.now() when charged. */
	readonly at: number;
}

export class Ledger {
	readonly entries: LedgerEntry[] = [];
	private nextSeq = 1;

	/** Records a charge (not yet delivered). */
	charge(account: string, msisdn: string, costHundredths: number, requestId: number): LedgerEntry {
		const entry: LedgerEntry = {
			seq: this.nextSeq++,
			account,
			msisdn,
			cost: costHundredths / 100,
			requestId,
			delivered: false,
			at: Date.now(),
		};
		this.entries.push(entry);
		return entry;
	}

	private select(account?: string): LedgerEntry[] {
		return account === undefined ? this.entries : this.entries.filter((e) => e.account === account);
	}

	/** Sum of all charges (of one account when given), in credits, rounded to hundredths. */
	totalCharged(account?: string): number {
		const hundredths = this.select(account).reduce((sum, e) => sum + Math.round(e.cost * 100), 0);
		return hundredths / 100;
	}

	/** Entries grouped by msisdn (of one account when given), in charging order. */
	chargesByNumber(account?: string): Map<string, LedgerEntry[]> {
		const groups = new Map<string, LedgerEntry[]>();
		for (const entry of this.select(account)) {
			const group = groups.get(entry.msisdn);
			if (group) group.push(entry);
			else groups.set(entry.msisdn, [entry]);
		}
		return groups;
	}

	/** Charged entries whose object never fully reached the socket. */
	undelivered(account?: string): LedgerEntry[] {
		return this.select(account).filter((e) => !e.delivered);
	}

	/**
	 * The numbers the client paid for again after it had already received a result: for the same
	 * account and msisdn, a delivered entry followed (later in charging order) by any other charge.
	 * A re-charge after an undelivered entry only is not counted (asking again for a result that
	 * never arrived is right). Each msisdn at most once, in order of first offence.
	 */
	numbersChargedTwiceForDeliveredResult(account?: string): string[] {
		const deliveredSeen = new Set<string>();
		const offenders = new Set<string>();
		for (const entry of this.select(account)) {
			const key = `${entry.account}\u0000${entry.msisdn}`;
			if (deliveredSeen.has(key)) offenders.add(entry.msisdn);
			if (entry.delivered) deliveredSeen.add(key);
		}
		return [...offenders];
	}

	clear(): void {
		this.entries.length = 0;
	}
}
