/**
 * When the limit does not divide among the processes (5 among 3: 2, 2 and 1), a process above
 * the smaller share gives a socket back after this long, so the remainder goes round and no
 * worker falls behind the others for the whole batch.
 */
export const TAKE_TURNS_MS = 1_000;

/**
 * After giving its socket back, a process keeps the smaller share this much longer, so the
 * freed lease goes to a process that waits for it. Without it the giver, whose own requests are
 * queued right there, asked again first and won its own lease back: the turn never moved on.
 */
export const GIVE_WAY_MS = 250;

/**
 * One process's share of an account while other processes wait for its connections: the limit
 * divided among the processes using it, rounded up, except that a process that has held more
 * than the smaller share for TAKE_TURNS_MS drops to it until it has given the socket back (the
 * news that others still wait comes every few hundred ms, faster than a busy socket frees up),
 * and for GIVE_WAY_MS after that.
 */
export class FairShare {
	/** Since when this process has held more than the smaller share while others wait. */
	private aboveLeastSince: number | null = null;
	/** Its turn at the remainder is over: keep the smaller share until a socket has gone. */
	private givingBack = false;
	/** When it last gave a socket back at the end of its turn. */
	private gaveBackAt: number | null = null;

	/** No process waits any more: the next wait starts afresh. */
	reset(): void {
		this.aboveLeastSince = null;
		this.givingBack = false;
		this.gaveBackAt = null;
	}

	/** The share to keep now, given the account's limit, the processes using it and the sockets held. */
	next(limit: number, processes: number, held: number, now = Date.now()): number {
		const least = Math.max(1, Math.floor(limit / processes));
		const most = Math.max(1, Math.ceil(limit / processes));
		if (held <= least) {
			if (this.givingBack) this.gaveBackAt = now;
			this.aboveLeastSince = null;
			this.givingBack = false;
			const givingWay = this.gaveBackAt !== null && now - this.gaveBackAt < GIVE_WAY_MS;
			return givingWay ? least : most;
		}
		if (!this.givingBack) {
			this.aboveLeastSince ??= now;
			this.givingBack = now - this.aboveLeastSince >= TAKE_TURNS_MS;
		}
		return this.givingBack ? least : most;
	}
}
