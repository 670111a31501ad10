import type { Socket } from 'node:net';

/**
 * Open-socket accounting per account, the way the service counts "concurrent connections":
 * a TCP socket belongs to the account of the first authenticated request on it and counts for
 * that account until it closes, idle keep-alive time included. A socket with no authenticated
 * request yet belongs to nobody.
 */

/** Read-only view of the counters (sb.connections). Without an account: every open socket. */
export interface ConnectionStats {
	openSockets(account?: string): number;
	peakOpenSockets(account?: string): number;
	/** Every socket accepted since start (or the last resetPeaks). */
	totalSockets(): number;
	/** Malformed HTTP seen at the parser level (answered 400/431 and closed). */
	protocolErrors(): number;
	/** Sets each peak back to the current count and totals to zero. */
	resetPeaks(): void;
}

interface SocketState {
	readonly id: number;
	account: string | null;
}

export class ConnectionTracker implements ConnectionStats {
	private readonly sockets = new Map<Socket, SocketState>();
	private readonly open = new Map<string, number>();
	private readonly peak = new Map<string, number>();
	private peakAll = 0;
	private total = 0;
	private nextId = 1;
	private parserErrors = 0;

	/** Registers a new socket; returns its id. */
	track(socket: Socket): number {
		const state: SocketState = { id: this.nextId++, account: null };
		this.sockets.set(socket, state);
		this.total++;
		this.peakAll = Math.max(this.peakAll, this.sockets.size);
		socket.once('close', () => this.forget(socket));
		return state.id;
	}

	private forget(socket: Socket): void {
		const state = this.sockets.get(socket);
		if (!state) return;
		this.sockets.delete(socket);
		if (state.account !== null) {
			this.open.set(state.account, (this.open.get(state.account) ?? 1) - 1);
		}
	}

	socketId(socket: Socket): number | null {
		return this.sockets.get(socket)?.id ?? null;
	}

	owner(socket: Socket): string | null {
		return this.sockets.get(socket)?.account ?? null;
	}

	/**
	 * Lets a request of `account` use the socket. A socket that already belongs to an account is
	 * always let through (whatever user the request names); an unowned one is given to `account`
	 * unless that would make the account hold more than `limit` open sockets.
	 */
	claim(socket: Socket, account: string, limit: number): boolean {
		const state = this.sockets.get(socket);
		if (!state || socket.destroyed) return false;
		if (state.account !== null) return true;
		const count = this.open.get(account) ?? 0;
		if (count >= limit) return false;
		state.account = account;
		this.open.set(account, count + 1);
		this.peak.set(account, Math.max(this.peak.get(account) ?? 0, count + 1));
		return true;
	}

	countProtocolError(): void {
		this.parserErrors++;
	}

	openSockets(account?: string): number {
		return account === undefined ? this.sockets.size : (this.open.get(account) ?? 0);
	}

	peakOpenSockets(account?: string): number {
		return account === undefined ? this.peakAll : (this.peak.get(account) ?? 0);
	}

	totalSockets(): number {
		return this.total;
	}

	protocolErrors(): number {
		return this.parserErrors;
	}

	resetPeaks(): void {
		this.peakAll = this.sockets.size;
		for (const account of this.peak.keys()) this.peak.set(account, this.open.get(account) ?? 0);
		this.total = 0;
		this.parserErrors = 0;
	}

	/** Per-account open and peak counts, for the admin view. */
	snapshot(): {
		open: number;
		peak: number;
		total: number;
		accounts: Record<string, { open: number; peak: number }>;
	} {
		const accounts: Record<string, { open: number; peak: number }> = {};
		for (const account of new Set([...this.open.keys(), ...this.peak.keys()])) {
			accounts[account] = { open: this.openSockets(account), peak: this.peakOpenSockets(account) };
		}
		return { open: this.sockets.size, peak: this.peakAll, total: this.total, accounts };
	}

	destroyAll(): void {
		for (const socket of this.sockets.keys()) socket.destroy();
	}
}
