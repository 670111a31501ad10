import type { ServiceClient } from '../../../engine/protocol/serviceClient';
import type { Node, NodeAPI } from './red';

/**
 * What an npl-account config node offers the nodes that use it. Each node file is its own
 * bundle, so they share this interface, not a class: the account's client is built by the
 * account's bundle (its undici transport and connection budget).
 */
export interface AccountNode extends Node {
	/**
	 * A client for the account over its shared connections. Throws AccountProblem when the
	 * account cannot be used as configured (no user or password, a Base URL refused).
	 */
	openClient(settings: { includeMsc: boolean; timeoutMs: number }): ServiceClient;
}

/**
 * The user must change the account's configuration: the message says what. Named "Error", as
 * Node-RED's own errors are: a Catch node shows `Error: <message>`, not a class name. Told apart
 * by a mark, not instanceof: the account's bundle throws it, another node's bundle catches it,
 * and each bundle has its own copy of the class.
 */
export class AccountProblem extends Error {
	readonly accountProblem = true;
}

export function isAccountProblem(error: unknown): error is AccountProblem {
	return (error as { accountProblem?: unknown } | null)?.accountProblem === true;
}

/** The engine's ServiceRequestError for a refused user or password (from the account's bundle: see above). */
export function isInvalidPassword(error: unknown): boolean {
	return (error as { failure?: { kind?: unknown } } | null)?.failure?.kind === 'invalid_password';
}

/** Longest wait for an answer's headers, and between two pieces of its body (n8n's default). */
export const REQUEST_TIMEOUT_MS = 120_000;

/**
 * The account config node a node names, or an AccountProblem saying what to fix (none chosen,
 * or one that is not deployed). Looked up per message: the config node of a redeploy is new.
 */
export function accountFor(RED: NodeAPI, accountId: string | undefined): AccountNode {
	const account = accountId ? RED.nodes.getNode(accountId) : null;
	if (!account) {
		throw new AccountProblem(
			'No Number Portability Lookup account: open this node, choose an account (or add one) and deploy.',
		);
	}
	return account as AccountNode;
}

/**
 * A client of the account, for one message or batch; every problem the user must fix as an
 * AccountProblem.
 */
export function clientFor(
	RED: NodeAPI,
	accountId: string | undefined,
	settings: { includeMsc: boolean },
): ServiceClient {
	return accountFor(RED, accountId).openClient({ ...settings, timeoutMs: REQUEST_TIMEOUT_MS });
}

/** The service refused the user or password: said for Node-RED (the engine's words name n8n's credential). */
export function invalidPasswordProblem(accountName: string): AccountProblem {
	return new AccountProblem(
		`FAIL Invalid password: the service refused the user or password of the account "${accountName}". ` +
			'Open the account (npl-account), fix them and deploy.',
	);
}
