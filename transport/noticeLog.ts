/** Keeps this many notices per account; a run needs only those since it started. */
const KEPT = 50;

/**
 * The coordination notices of one account's budget, numbered, so that each run (each
 * ServiceClient) can ask for those that happened while it ran. A "standing" notice (Redis is
 * down right now) also concerns a run that started after it was recorded.
 */
export class NoticeLog {
	private readonly entries: Array<{ seq: number; text: string }> = [];
	private seq = 0;
	private standing: string | null = null;

	cursor(): number {
		return this.seq;
	}

	add(text: string, options: { standing?: boolean } = {}): void {
		this.entries.push({ seq: ++this.seq, text });
		if (this.entries.length > KEPT) this.entries.shift();
		this.standing = options.standing ? text : null;
	}

	since(cursor: number): string[] {
		const texts = this.entries.filter((entry) => entry.seq > cursor).map((entry) => entry.text);
		if (this.standing && !texts.includes(this.standing)) texts.unshift(this.standing);
		return texts;
	}
}
