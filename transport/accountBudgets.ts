import { createHash } from 'node:crypto';

import { AccountConnections } from './accountConnections';
import { readBudgetSettings, type BudgetSettings } from './budgetSettings';
import type { ConnectionBudget } from './connectionBudget';
import { createProxyAwareConnection } from './proxyAwareDispatcher';
import { RedisAccountConnections } from './redisAccountConnections';
import { RedisLink } from './redisLink';

const budgets = new Map<string, ConnectionBudget>();
/** One link per Redis location and prefix; none at all unless a budget lives in Redis. */
const links = new Map<string, RedisLink>();

/**
 * The budget of one account in this process: in Redis in queue mode (NPL_CONNECTION_BUDGET,
 * budgetSettings.ts), else in-process. Chosen when the account is first used. The password is
 * not part of any key, nor kept.
 */
export function accountConnections(baseUrl: string, user: string): ConnectionBudget {
	const key = `${baseUrl}\u0000${user}`;
	let budget = budgets.get(key);
	if (!budget) {
		budget = createBudget(readBudgetSettings(), key);
		budgets.set(key, budget);
	}
	return budget;
}

function createBudget(settings: BudgetSettings, accountKey: string): ConnectionBudget {
	if (settings.mode === 'process') {
		return new AccountConnections(createProxyAwareConnection, settings.problem);
	}
	const linkKey = `${settings.redis.url ?? settings.redis.where}\u0000${settings.keyPrefix}\u0000${settings.leaseMs}`;
	let link = links.get(linkKey);
	if (!link) {
		link = new RedisLink(settings.redis, settings.keyPrefix, settings.leaseMs);
		links.set(linkKey, link);
	}
	return new RedisAccountConnections(link, accountHash(accountKey));
}

/** The account's part of its Redis keys: sha256 of base URL + NUL + user, never the password. */
export function accountHash(accountKey: string): string {
	return createHash('sha256').update(accountKey).digest('hex');
}

/** Closes every account's sockets, gives back their leases and closes Redis (tests, benchmarks, shutdown). */
export async function closeAllAccountConnections(): Promise<void> {
	const open = [...budgets.values()];
	budgets.clear();
	await Promise.all(open.map(async (budget) => await budget.close()));
	const openLinks = [...links.values()];
	links.clear();
	await Promise.all(openLinks.map(async (link) => await link.close()));
}
