import * as v from 'valibot';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { citationLines } from '../citations/index.ts';
import type { PackageError } from './package.ts';

export type YamlPath = readonly (string | number)[];

/** A parsed YAML text that can say on which line of its file any value was written. */
export class YamlSource {
	constructor(
		readonly file: string,
		private readonly text: string,
		private readonly doc: Document.Parsed,
		private readonly counter: LineCounter,
		/** Lines of the file before the YAML text (front matter starts below its `---`). */
		private readonly offset: number
	) {}

	private lineAt(pos: number): number {
		return this.counter.linePos(pos).line + this.offset;
	}

	private lineOfNode(node: unknown): number | null {
		const range = (node as Node | null)?.range;
		return range ? this.lineAt(range[0]) : null;
	}

	/**
	 * The node at `path`, and the line of it or of the deepest part of the path that exists: a
	 * missing key is reported where its map starts, an empty value on its key's line.
	 */
	private locate(path: YamlPath): { node: unknown; line: number | null } {
		let node: unknown = this.doc.contents;
		let line = this.lineOfNode(node);
		for (const key of path) {
			let next: unknown;
			if (isMap(node)) {
				const pair = node.items.find(
					(p) => String(isScalar(p.key) ? p.key.value : p.key) === String(key)
				);
				if (!pair) return { node: undefined, line };
				line = this.lineOfNode(pair.key) ?? line;
				next = pair.value;
			} else if (isSeq(node) && typeof key === 'number') {
				next = node.items[key];
			}
			if (next === undefined || next === null) return { node: undefined, line };
			node = next;
			line = this.lineOfNode(node) ?? line;
		}
		return { node, line };
	}

	lineOf(path: YamlPath): number | null {
		return this.locate(path).line;
	}

	/**
	 * The citations on each source line of the scalar at `path`, by file line. Read from the source
	 * rather than the value because folding (`>-`) joins the value's lines into one.
	 */
	citationLinesOf(path: YamlPath): { line: number; paragraphs: number[] }[] {
		const { node } = this.locate(path);
		if (!isScalar(node) || !node.range) return [];
		const first = this.lineAt(node.range[0]);
		return citationLines(this.text.slice(node.range[0], node.range[1])).map((l) => ({
			line: first + l.line - 1,
			paragraphs: l.paragraphs
		}));
	}
}

export interface ParsedYaml<T> {
	value: T | null;
	source: YamlSource | null;
	errors: PackageError[];
}

/**
 * Parses `text` and checks it against `schema`. `offset` is the number of file lines above the
 * YAML text, so that every error carries its line in the file.
 */
export function readYaml<S extends v.GenericSchema>(
	file: string,
	text: string,
	schema: S,
	offset = 0
): ParsedYaml<v.InferOutput<S>> {
	const counter = new LineCounter();
	const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
	const source = new YamlSource(file, text, doc, counter, offset);

	if (doc.errors.length > 0) {
		// Only the first: the errors after a slip mostly follow from it and bury it.
		const [first] = doc.errors;
		const line = counter.linePos(first.pos[0]).line + offset;
		return {
			value: null,
			source: null,
			errors: [{ file, line, message: `YAML syntax: ${first.message}` }]
		};
	}

	let data: unknown;
	try {
		data = doc.toJS({ maxAliasCount: 100 });
	} catch (e) {
		return {
			value: null,
			source: null,
			errors: [{ file, line: null, message: `YAML: ${e instanceof Error ? e.message : e}` }]
		};
	}

	const result = v.safeParse(schema, data);
	if (result.success) return { value: result.output, source, errors: [] };
	return {
		value: null,
		source,
		errors: result.issues.map((issue) => {
			const path = (issue.path ?? []).map((item) => item.key as string | number);
			return { file, line: source.lineOf(path), message: issueMessage(issue, path) };
		})
	};
}

function issueMessage(issue: v.BaseIssue<unknown>, path: YamlPath): string {
	// Object issues already name the field; the others are about the value of the named field.
	if (issue.type === 'strict_object' && issue.input === undefined) return issue.message;
	if (issue.type === 'strict_object' && issue.expected === 'never') return issue.message;
	const field = path.findLast((key) => typeof key === 'string');
	return field === undefined ? issue.message : `${field}: ${issue.message}`;
}
