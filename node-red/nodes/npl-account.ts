/**
 * npl-account: one Number Portability Lookup account (Base URL, user, password), as a config node
 * that owns the account's connections, as node-red-node-mysql's config node owns its pool. Every
 * lookup and balance node that uses the account shares its connection budget (the service counts
 * open connections per account, idle keep-alive ones included); closing the node (a redeploy,
 * Node-RED stopping) closes its sockets.
 */
import { BaseUrlError, checkBaseUrl } from '../../engine/protocol/baseUrl';
import { ServiceClient } from '../../engine/protocol/serviceClient';
import { AccountConnections } from '../../transport/accountConnections';
import { createProxyAwareConnection } from '../../transport/proxyAwareDispatcher';
import { undiciServiceLink } from '../../transport/undiciServiceLink';
import { AccountProblem, type AccountNode } from './lib/accountApi';
import type { Node, NodeAPI, NodeDef } from './lib/red';

interface AccountDef extends NodeDef {
	baseUrl?: string;
}

interface AccountCredentials {
	user?: string;
	password?: string;
}

/** Closing waits this long for sockets to shut; Node-RED must get on with the deploy. */
const CLOSE_LIMIT_MS = 800;

export = function register(RED: NodeAPI): void {
	function NplAccountNode(this: Node<AccountCredentials> & AccountNode, def: AccountDef): void {
		RED.nodes.createNode(this, def);
		const label = def.name || 'Number Portability Lookup account';
		this.name = def.name;
		const connections = new AccountConnections(() => createProxyAwareConnection());
		let url: URL | null = null;
		let urlProblem: string | null = null;
		try {
			url = checkBaseUrl(def.baseUrl);
		} catch (error) {
			if (!(error instanceof BaseUrlError)) throw error;
			// "The credential's Base URL …": the engine's words; here it is the account's.
			urlProblem = `Account "${label}": ${error.message.replace("The credential's", 'The')}`;
			this.error(urlProblem);
		}

		this.openClient = ({ includeMsc, timeoutMs }) => {
			if (urlProblem || !url) throw new AccountProblem(urlProblem ?? 'The account has no Base URL.');
			const user = this.credentials?.user ?? '';
			const password = this.credentials?.password ?? '';
			if (!user || !password) {
				throw new AccountProblem(
					`The account "${label}" has no ${user ? 'password' : 'user'}: open it, fill in the user and password, and deploy.`,
				);
			}
			const link = undiciServiceLink({ url, user, password }, connections);
			return new ServiceClient(link, { includeMsc, timeoutMs, secrets: [password] });
		};

		this.on('close', (_removed, done) => {
			// The nodes using the account abort their requests in their own close handlers (a full
			// deploy closes every node at once); the sockets close here, within a time limit.
			let closed = false;
			const finish = () => {
				if (closed) return;
				closed = true;
				clearTimeout(limit);
				done();
			};
			const limit = setTimeout(finish, CLOSE_LIMIT_MS);
			void connections.close().catch(() => undefined).then(finish);
		});
	}

	RED.nodes.registerType('npl-account', NplAccountNode as never, {
		credentials: { user: { type: 'text' }, password: { type: 'password' } },
	});
};
