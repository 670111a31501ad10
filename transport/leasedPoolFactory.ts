import { buildConnector, Pool, type Dispatcher } from 'undici';

import type { SocketLeases } from './socketLeases';

/**
 * An undici pool factory whose pools take a lease before each socket connects and give it
 * back when the socket closes. It wraps whatever connect function the agent hands over (the
 * proxy agent's tunnel included), so HTTP_PROXY / HTTPS_PROXY keep working and a tunnel counts
 * as the one connection to the service that it is.
 */
export function leasedPoolFactory(
	leases: SocketLeases,
): (origin: string | URL, options: object) => Dispatcher {
	return (origin, options) => {
		const { connect, tls, ...rest } = options as Pool.Options;
		const base =
			typeof connect === 'function' ? connect : buildConnector(Object.assign({}, tls, connect));
		return new Pool(origin, { ...rest, connect: withLease(base, leases) });
	};
}

function withLease(
	connect: buildConnector.connector,
	leases: SocketLeases,
): buildConnector.connector {
	return (options, callback) => {
		leases.forSocket().then(
			(id) => {
				connect(options, (error, socket) => {
					if (error || !socket) {
						leases.unbind(id);
						callback(error ?? new Error('The connection could not be made'), null);
						return;
					}
					leases.bind(id, socket);
					callback(null, socket);
				});
			},
			(error: Error) => callback(error, null),
		);
	};
}
