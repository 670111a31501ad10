/**
 * Accounts, passwords and credit. Credit is kept in integer hundredths of a credit so that
 * 1.20-credit lookups never drift. A request reserves its whole cost before it is answered
 * (so concurrent requests of one account can never overdraw it) and is charged number by number
 * from that reservation; what it did not use (dropped connection, client gone) is released.
 */

export interface SandboxAccount {
	user: string;
	pass: string;
	/** Starting credit, in credits (10000 = ten thousand lookups at 1.00). */
	credit: number;
}

interface AccountState {
	readonly pass: string;
	balance: number;
	reserved: number;
}

export function toHundredths(credits: number): number {
	if (!Number.isFinite(credits) || credits < 0) {
		throw new RangeError(`credit must be a finite number >= 0, got ${credits}`);
	}
	return Math.round(credits * 100);
}

export class Accounts {
	private readonly byUser = new Map<string, AccountState>();

	constructor(accounts: readonly SandboxAccount[]) {
		for (const { user, pass, credit } of accounts) {
			if (this.byUser.has(user)) throw new RangeError(`account "${user}" is listed twice`);
			this.byUser.set(user, { pass, balance: toHundredths(credit), reserved: 0 });
		}
	}

	/** The user when the pair is right, else null. Users and passwords are case-sensitive. */
	authenticate(user: string | undefined, pass: string | undefined): string | null {
		if (user === undefined || pass === undefined) return null;
		const account = this.byUser.get(user);
		return account && account.pass === pass ? user : null;
	}

	users(): string[] {
		return [...this.byUser.keys()];
	}

	private get(user: string): AccountState {
		const account = this.byUser.get(user);
		if (!account) throw new RangeError(`no sandbox account "${user}"`);
		return account;
	}

	/** Balance in hundredths. */
	balanceHundredths(user: string): number {
		return this.get(user).balance;
	}

	/** Balance in credits (e.g. 9998.8). */
	balance(user: string): number {
		return this.get(user).balance / 100;
	}

	setCredit(user: string, credits: number): void {
		this.get(user).balance = toHundredths(credits);
	}

	/** Sets aside `amount` hundredths for a request; false when the free balance is short. */
	reserve(user: string, amount: number): boolean {
		const account = this.get(user);
		if (account.balance - account.reserved < amount) return false;
		account.reserved += amount;
		return true;
	}

	/** Takes `amount` from a reservation made before; returns the balance after, in hundredths. */
	charge(user: string, amount: number): number {
		const account = this.get(user);
		account.balance -= amount;
		account.reserved = Math.max(0, account.reserved - amount);
		return account.balance;
	}

	release(user: string, amount: number): void {
		const account = this.get(user);
		account.reserved = Math.max(0, account.reserved - amount);
	}
}
