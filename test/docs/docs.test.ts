/**
 * The repository's documents keep their promises: every `npm run <script>` (and `npm test`) they
 * name is a script of the package the document belongs to, and every relative link reaches a file
 * (and a `#anchor` a heading of it, by GitHub's slug rules). Documents are every Markdown file
 * outside node_modules, dist, .git and the work folders (dot folders, bench/out, coverage).
 * Each broken item is printed with its file and line.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const REPO_DIR = resolve(__dirname, '..', '..');

/** Folders that hold no document of the repository's: installs, builds, work folders. */
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'coverage', 'out']);

function markdownFiles(dir: string): string[] {
	const found: string[] = [];
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		// .git, .e2e, .scratch, .cache: version control and the tests' work folders.
		if (entry.name.startsWith('.') || SKIPPED_DIRS.has(entry.name)) continue;
		const path = join(dir, entry.name);
		if (entry.isDirectory()) found.push(...markdownFiles(path));
		else if (entry.isFile() && entry.name.endsWith('.md')) found.push(path);
	}
	return found.sort();
}

/** The text with fenced code blocks blanked (line numbers kept): no links or headings in there. */
function withoutCodeBlocks(text: string): string {
	let inFence = false;
	return text
		.split('\n')
		.map((line) => {
			if (/^\s*(```|~~~)/.test(line)) {
				inFence = !inFence;
				return '';
			}
			return inFence ? '' : line;
		})
		.join('\n');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, each space a hyphen. */
export function slug(heading: string): string {
	return heading
		.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/[`*]/g, '')
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\s_-]/gu, '')
		.replace(/\s/g, '-');
}

const anchorCache = new Map<string, Set<string>>();

/** Every anchor the headings of a Markdown file give (a repeated heading gets -1, -2, …). */
function anchorsOf(file: string): Set<string> {
	const cached = anchorCache.get(file);
	if (cached) return cached;
	const anchors = new Set<string>();
	const seen = new Map<string, number>();
	for (const line of withoutCodeBlocks(readFileSync(file, 'utf8')).split('\n')) {
		const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
		if (!heading) continue;
		const base = slug(heading[1]);
		const count = seen.get(base) ?? 0;
		seen.set(base, count + 1);
		anchors.add(count === 0 ? base : `${base}-${count}`);
	}
	anchorCache.set(file, anchors);
	return anchors;
}

function scriptsOf(packageJson: string): Record<string, string> | undefined {
	if (!existsSync(packageJson)) return undefined;
	return (JSON.parse(readFileSync(packageJson, 'utf8')) as { scripts?: Record<string, string> })
		.scripts;
}

/**
 * The package whose scripts a document's commands mean: the nearest folder above it with a
 * package.json that defines scripts, the root by default (a package's npm README, such as
 * packages/queue-mode's, whose package.json has none, speaks of the repository's commands).
 */
function packageFor(file: string): string {
	for (let dir = dirname(file); dir.startsWith(REPO_DIR); dir = dirname(dir)) {
		if (scriptsOf(join(dir, 'package.json'))) return join(dir, 'package.json');
		if (dir === REPO_DIR) break;
	}
	return join(REPO_DIR, 'package.json');
}

const where = (file: string, index: number, text: string): string =>
	`${relative(REPO_DIR, file)}:${text.slice(0, index).split('\n').length}`;

/** `npm run <script>` and `npm test` wherever they are written (code, code blocks, text). */
export function brokenCommands(file: string): string[] {
	const text = readFileSync(file, 'utf8');
	const packageJson = packageFor(file);
	const scripts = scriptsOf(packageJson) ?? {};
	const broken: string[] = [];
	const command = /\bnpm\s+(?:run(?:\s+(?:-s|--silent))?\s+([A-Za-z0-9:._-]+)|(test)\b)/g;
	for (const match of text.matchAll(command)) {
		const script = match[1] ?? match[2];
		if (!(script in scripts)) {
			broken.push(
				`${where(file, match.index ?? 0, text)}: \`${match[0]}\`: no script "${script}" in ${relative(REPO_DIR, packageJson)}`,
			);
		}
	}
	return broken;
}

/** Relative links and images: the file exists, and an anchor is a heading of it. */
export function brokenLinks(file: string): string[] {
	const text = withoutCodeBlocks(readFileSync(file, 'utf8')).replace(/`[^`\n]*`/g, (code) =>
		' '.repeat(code.length),
	);
	const broken: string[] = [];
	for (const match of text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
		const target = match[1];
		if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: …
		const at = where(file, match.index ?? 0, text);
		const [pathPart, anchor] = target.split('#', 2) as [string, string | undefined];
		const path = pathPart === '' ? file : resolve(dirname(file), decodeURIComponent(pathPart));
		if (!path.startsWith(REPO_DIR + sep) || !existsSync(path)) {
			broken.push(`${at}: link ${target}: no file ${relative(REPO_DIR, path)}`);
			continue;
		}
		if (anchor === undefined || anchor === '') continue;
		if (!statSync(path).isFile() || !path.endsWith('.md')) {
			broken.push(`${at}: link ${target}: an anchor into a file that is not Markdown`);
		} else if (!anchorsOf(path).has(decodeURIComponent(anchor).toLowerCase())) {
			broken.push(`${at}: link ${target}: no heading #${anchor} in ${relative(REPO_DIR, path)}`);
		}
	}
	return broken;
}

function lineCount(file: string): number {
	return readFileSync(join(REPO_DIR, file), 'utf8').replace(/\n$/, '').split('\n').length;
}

const DOCUMENTS = markdownFiles(REPO_DIR);

describe('the repository\u2019s documents', () => {
	it('are found where they are expected', () => {
		const names = DOCUMENTS.map((file) => relative(REPO_DIR, file));
		for (const expected of ['README.md', 'CONTRIBUTING.md', 'BENCHMARKS.md', 'CHANGELOG.md']) {
			expect(names).toContain(expected);
		}
		expect(names.some((name) => name.startsWith(`docs${sep}`))).toBe(true);
		expect(names).not.toContainEqual(expect.stringContaining('node_modules'));
	});

	it('name only npm scripts that exist', () => {
		const broken = DOCUMENTS.flatMap(brokenCommands);
		if (broken.length > 0) console.error(`Commands that do not work:\n${broken.join('\n')}`);
		expect(broken).toEqual([]);
	});

	it('link only to files and headings that exist', () => {
		const broken = DOCUMENTS.flatMap(brokenLinks);
		if (broken.length > 0) console.error(`Broken links:\n${broken.join('\n')}`);
		expect(broken).toEqual([]);
	});

	it('README.md is at most 300 lines', () => {
		expect(lineCount('README.md')).toBeLessThanOrEqual(300);
	});

	it('BENCHMARKS.md is at most 200 lines', () => {
		expect(lineCount('BENCHMARKS.md')).toBeLessThanOrEqual(200);
	});
});

describe('GitHub heading anchors', () => {
	it.each([
		['Installation', 'installation'],
		['Trying it in a local n8n: `npm run n8n`', 'trying-it-in-a-local-n8n-npm-run-n8n'],
		[
			'Queue mode: one connection budget across processes',
			'queue-mode-one-connection-budget-across-processes',
		],
		['Clean a CRM phone list — `examples/crm.json`', 'clean-a-crm-phone-list--examplescrmjson'],
		['Event-loop stalls (issue 10)', 'event-loop-stalls-issue-10'],
	])('%s → #%s', (heading, anchor) => {
		expect(slug(heading)).toBe(anchor);
	});
});
