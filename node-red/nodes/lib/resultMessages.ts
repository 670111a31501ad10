import type { RoutedResult } from '../../../engine/lookupSession';
import { TimeSlices, WORK_SLICE_MS } from '../../../engine/scheduling/timeSlices';
import type { RouteName } from '../../../engine/types';
import { nodeClock } from '../../../transport/nodeClock';
import type { WaitingMessage } from './messageBatches';
import type { NodeMessage } from './red';

/**
 * Sends each message's results, one message per number, on the output of its route, then calls
 * the message's done(). Each result message is a clone of its input message (every other
 * property kept, as Node-RED's own nodes do) with `payload` set to the typed result. The input's
 * payload is not cloned for each number: a list of 20,000 numbers would be copied 20,000 times.
 *
 * `results` are in input order (the engine's promise), so each message's results are one run.
 */
export async function sendResults(
	messages: readonly WaitingMessage[],
	results: readonly RoutedResult[],
	routeNames: readonly RouteName[],
	cloneMessage: <T>(message: T) => T,
): Promise<void> {
	const slices = new TimeSlices(WORK_SLICE_MS, nodeClock);
	let next = 0;
	for (let index = 0; index < messages.length; index++) {
		const { message, send, done } = messages[index];
		const rest: NodeMessage = { ...message };
		delete rest.payload;
		const outputs: NodeMessage[][] = routeNames.map(() => []);
		for (; next < results.length && results[next].itemIndex === index; next++) {
			const { route, json } = results[next];
			const out = cloneMessage(rest) as NodeMessage;
			out.payload = json;
			outputs[routeNames.indexOf(route)].push(out);
		}
		// One list per output, even with one output: send([a, b]) would put b on a second output.
		send(outputs);
		done();
		if (slices.due()) await slices.yield();
	}
}
