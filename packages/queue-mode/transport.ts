/**
 * The queue-mode package's transport: what it is built with in place of the node's own
 * (nodes/NumberPortabilityLookup/transport/index.ts, n8n's HTTP helper). undici's keep-alive
 * connections under the account's connection budget, counted across n8n processes in Redis in
 * queue mode (transport/budgetSettings.ts), and Node's own timers. Bundled into dist/transport.js,
 * beside the node, with undici and ioredis left as the package's dependencies.
 */
import type { Clock, ServiceLink } from '../../engine/ports';
import type { HttpContext } from '../../nodes/NumberPortabilityLookup/transport';
import { nodeClock } from '../../transport/nodeClock';
import { accountConnections } from '../../transport/accountBudgets';
import { undiciServiceLink, type LinkAccount } from '../../transport/undiciServiceLink';

export type { HttpContext };

export const hostClock: Clock = nodeClock;

/** In place of the verified package's: n8n's context (its HTTP helper) and clock are not needed here. */
export function openServiceLink(_ctx: HttpContext, account: LinkAccount): ServiceLink {
	return undiciServiceLink(account, accountConnections(account.url.href, account.user));
}

/** Closes every account's sockets, gives back their leases and closes Redis (tests, benchmarks). */
export { accountConnections, closeAllAccountConnections } from '../../transport/accountBudgets';
