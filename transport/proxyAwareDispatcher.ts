import { EnvHttpProxyAgent, type Agent, type Dispatcher } from 'undici';

/** Keep-alive saves a TCP and TLS handshake per request; idle sockets still count, so not for long. */
const KEEP_ALIVE_MS = 4_000;
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * One connection to the service (at most one socket), honouring HTTP_PROXY / HTTPS_PROXY /
 * NO_PROXY like the rest of n8n. `factory` builds its pool (the Redis budget's takes a lease per
 * socket); it is handed the connect function the proxy agent chose, tunnel included.
 */
export function createProxyAwareConnection(factory?: Agent.Options['factory']): Dispatcher {
	return new EnvHttpProxyAgent({
		connections: 1,
		keepAliveTimeout: KEEP_ALIVE_MS,
		keepAliveMaxTimeout: KEEP_ALIVE_MS,
		connect: { timeout: CONNECT_TIMEOUT_MS },
		...(factory ? { factory } : {}),
	});
}
