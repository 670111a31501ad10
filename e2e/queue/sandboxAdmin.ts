/**
 * What the sandbox saw, read from its admin view (/__admin/*), for one account: the requests,
 * the open-socket peak, the charges.
 */
import type { LedgerEntry } from '../../sandbox/ledger';
import type { RequestRecord } from '../../sandbox/requests';

export interface AccountView {
	requests: RequestRecord[];
	/** The most sockets the account ever had open at once. */
	peakSockets: number;
	/** Requests the sandbox refused with ERR RATE_LIMIT_EXCEEDED (over the connection limit). */
	refused: number;
	charges: LedgerEntry[];
	/** Numbers (of this account) charged again after a delivered result. */
	chargedTwice: string[];
}

async function getJson<T>(url: string): Promise<T> {
	const response = await fetch(url);
	if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
	return (await response.json()) as T;
}

export async function readAccount(adminUrl: string, user: string): Promise<AccountView> {
	const [requests, connections, ledger] = await Promise.all([
		getJson<RequestRecord[]>(`${adminUrl}/requests`),
		getJson<{ accounts: Record<string, { peak: number }> }>(`${adminUrl}/connections`),
		getJson<{ entries: LedgerEntry[]; numbersChargedTwiceForDeliveredResult: string[] }>(
			`${adminUrl}/ledger`,
		),
	]);
	const mine = requests.filter((r) => r.account === user || r.user === user);
	const charges = ledger.entries.filter((e) => e.account === user);
	const numbers = new Set(charges.map((e) => e.msisdn));
	return {
		requests: mine,
		peakSockets: connections.accounts[user]?.peak ?? 0,
		refused: mine.filter((r) => r.outcome === 'rate_limited').length,
		charges,
		chargedTwice: ledger.numbersChargedTwiceForDeliveredResult.filter((n) => numbers.has(n)),
	};
}

/** Credits the account spent so far, from its balance (cheap enough to poll, unlike the ledger). */
export async function creditsSpent(
	adminUrl: string,
	user: string,
	credit: number,
): Promise<number> {
	const accounts = await getJson<Array<{ user: string; balance: number }>>(`${adminUrl}/accounts`);
	const balance = accounts.find((a) => a.user === user)?.balance;
	if (balance === undefined) throw new Error(`the sandbox has no account ${user}`);
	return credit - balance;
}
