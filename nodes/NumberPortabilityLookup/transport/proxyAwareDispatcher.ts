import { EnvHttpProxyAgent, type Agent, type Dispatcher } from 'undici';

/** Keep-alive saves a TCP and TLS handshake per request; idle sockets still count, so not for long. */
const KEEP_ALIVE_MS = 4_000;
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Honours HTTP_PROXY / HTTPS_PROXY / NO_PROXY like the rest of n8n; behind it, one pool per
 * origin capped at `connections`. `factory` builds those pools (the Redis budget's take a lease
 * per socket); it is handed the connect function the proxy agent chose, tunnel included.
 */
export function createProxyAwareDispatcher(
	connections: number,
	factory?: Agent.Options['factory'],
): Dispatcher {
	return new EnvHttpProxyAgent({
		connections,
		keepAliveTimeout: KEEP_ALIVE_MS,
		keepAliveMaxTimeout: KEEP_ALIVE_MS,
		connect: { timeout: CONNECT_TIMEOUT_MS },
		...(factory ? { factory } : {}),
	});
}
