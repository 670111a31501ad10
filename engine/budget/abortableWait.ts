/** The error an aborted wait rejects with: a DOMException named 'AbortError', as fetch's is. */
export function abortError(signal: AbortSignal): Error {
	const reason: unknown = signal.reason;
	if (reason instanceof Error && reason.name === 'AbortError') return reason;
	return new DOMException('The wait for a connection was aborted', 'AbortError');
}

/**
 * Waits for `subscribe` to call its wake function, or for `signal` to abort (then rejects with
 * an AbortError). `subscribe` returns how to unsubscribe, called either way, so a wait leaves
 * nothing behind (timers, listeners).
 */
export async function abortableWait(
	subscribe: (wake: () => void) => () => void,
	signal?: AbortSignal,
): Promise<void> {
	if (signal?.aborted) throw abortError(signal);
	await new Promise<void>((resolve, reject) => {
		let done = false;
		let unsubscribe: (() => void) | null = null;
		const finish = (error?: Error) => {
			if (done) return;
			done = true;
			signal?.removeEventListener('abort', onAbort);
			unsubscribe?.();
			if (error) reject(error);
			else resolve();
		};
		const onAbort = () => finish(abortError(signal!));
		signal?.addEventListener('abort', onAbort, { once: true });
		unsubscribe = subscribe(() => finish());
		// A wake during subscribe() came before unsubscribe existed.
		if (done) unsubscribe();
	});
}
