import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Accounts } from './accounts';
import type { ConnectionTracker } from './connections';
import type { Ledger } from './ledger';
import { redactUrl } from './params';
import type { RequestRecord } from './requests';

/**
 * The admin view, served only when the sandbox runs with `admin: true` (`--admin`); otherwise
 * these paths are 404 like any unknown path. GET only, JSON, no authentication (loopback tool).
 * Admin requests are not recorded, not counted per account and never faulted.
 *
 * - GET /__admin/ledger       entries + totals + undelivered + numbersChargedTwiceForDeliveredResult
 * - GET /__admin/requests     request records, with any `pass` value in URLs replaced by ***
 * - GET /__admin/connections  open / peak sockets, overall and per account
 * - GET /__admin/accounts     users and balances (never passwords)
 */
export const ADMIN_PREFIX = '/__admin/';

export interface AdminState {
	readonly ledger: Ledger;
	readonly requests: readonly RequestRecord[];
	readonly tracker: ConnectionTracker;
	readonly accounts: Accounts;
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
	const body = JSON.stringify(value, null, 2);
	res.writeHead(status, {
		'Content-Type': 'application/json; charset=utf-8',
		'Content-Length': Buffer.byteLength(body),
		'Cache-Control': 'no-store',
	});
	res.end(body);
}

export function handleAdmin(
	req: IncomingMessage,
	res: ServerResponse,
	path: string,
	state: AdminState,
): void {
	req.resume();
	if (req.method !== 'GET') {
		res.setHeader('Allow', 'GET');
		sendJson(res, 405, { error: 'Method not allowed' });
		return;
	}
	const { ledger, requests, tracker, accounts } = state;
	switch (path) {
		case `${ADMIN_PREFIX}ledger`: {
			const byAccount: Record<string, number> = {};
			for (const user of accounts.users()) byAccount[user] = ledger.totalCharged(user);
			sendJson(res, 200, {
				totalCharged: ledger.totalCharged(),
				byAccount,
				undelivered: ledger.undelivered().length,
				numbersChargedTwiceForDeliveredResult: ledger.numbersChargedTwiceForDeliveredResult(),
				entries: ledger.entries,
			});
			return;
		}
		case `${ADMIN_PREFIX}requests`:
			sendJson(
				res,
				200,
				requests.map((record) => ({ ...record, url: redactUrl(record.url) })),
			);
			return;
		case `${ADMIN_PREFIX}connections`:
			sendJson(res, 200, { ...tracker.snapshot(), protocolErrors: tracker.protocolErrors() });
			return;
		case `${ADMIN_PREFIX}accounts`:
			sendJson(
				res,
				200,
				accounts.users().map((user) => ({ user, balance: accounts.balance(user) })),
			);
			return;
		default:
			sendJson(res, 404, { error: 'Not found' });
	}
}
