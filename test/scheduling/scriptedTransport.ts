import type {
	LookupTransport,
	RequestFailure,
} from '../../engine/scheduling/transportContract';
import type { RawLookupObject } from '../../engine/types';

/** A scripted stand-in for the service, below the HTTP layer: unit tests of the scheduler only. */
export class ScriptedTransport implements LookupTransport {
	readonly requests: string[][] = [];
	inFlight = 0;
	peakInFlight = 0;
	charged = new Map<string, number>();

	constructor(
		private readonly script: (numbers: readonly string[], request: number) => {
			answer?: readonly string[];
			failure?: RequestFailure;
		} = () => ({}),
		private readonly cost = '1.00',
	) {}

	async lookup(numbers: readonly string[], onResult: (raw: RawLookupObject) => void) {
		const request = this.requests.push([...numbers]) - 1;
		this.inFlight++;
		this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
		await new Promise((resolve) => setTimeout(resolve, 1));
		this.inFlight--;
		const { answer = numbers, failure } = this.script(numbers, request);
		for (const msisdn of answer) {
			this.charged.set(msisdn, (this.charged.get(msisdn) ?? 0) + 1);
			onResult({ msisdn, errorcode: '0', validnumber: 'true', transactioncost: this.cost });
		}
		return failure ?? null;
	}
}
