/**
 * Starts executions the way a production caller does: one POST to the published webhook per
 * execution, all at once, each with its own list of numbers; keeps what each answered and when.
 */
import { EXECUTION_ID_HEADER } from './lanes';

export interface Answer {
	index: number;
	numbers: string[];
	status: number | null;
	executionId: string | null;
	items: Array<Record<string, unknown>> | null;
	/** Why there is no answer (a network error, or the caller gave up). */
	error: string | null;
	sentAt: number;
	answeredAt: number | null;
}

/** `count` lists of `size` distinct UK mobile numbers, none shared with another lane's `from`. */
export function numberLists(count: number, size: number, from: number): string[][] {
	return Array.from({ length: count }, (_, list) =>
		Array.from(
			{ length: size },
			(_, i) => `447788${String(from + list * size + i).padStart(6, '0')}`,
		),
	);
}

/**
 * POSTs every list at once. `giveUp` aborts the calls still waiting (a worker killed under them
 * answers nothing until n8n declares the job stalled, long after the test needs to know).
 */
export async function fireBatch(
	webhookUrl: string,
	lists: readonly string[][],
	giveUp: AbortSignal,
	onAnswer: (answer: Answer) => void = () => {},
): Promise<Answer[]> {
	return await Promise.all(
		lists.map(async (numbers, index) => {
			const answer: Answer = {
				index,
				numbers,
				status: null,
				executionId: null,
				items: null,
				error: null,
				sentAt: Date.now(),
				answeredAt: null,
			};
			try {
				const response = await fetch(webhookUrl, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ numbers }),
					signal: giveUp,
				});
				answer.status = response.status;
				answer.executionId = response.headers.get(EXECUTION_ID_HEADER);
				const text = await response.text();
				answer.answeredAt = Date.now();
				const body: unknown = JSON.parse(text);
				if (Array.isArray(body)) answer.items = body as Array<Record<string, unknown>>;
				else answer.error = `not a list of items: ${text.slice(0, 300)}`;
			} catch (error) {
				answer.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
			}
			onAnswer(answer);
			return answer;
		}),
	);
}
