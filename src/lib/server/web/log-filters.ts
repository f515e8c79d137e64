import { zonedToUtc } from '../../zoned-time.ts';
import { parseId } from '../../validation/ids.ts';
import type { Executor } from '../db/index.ts';
import {
	listLog,
	listLogFacets,
	logCsv,
	parseLogCursor,
	type LogFilters
} from '../moderation/log.ts';

/** What the filter form shows back: the values as the viewer wrote them. */
export interface LogFilterValues {
	action: string;
	actor: string;
	target: string;
	q: string;
	from: string;
	to: string;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The first instant of the day `YYYY-MM-DD` in `timeZone` (`offset` days later), if it is a day. */
function startOfDay(text: string, timeZone: string, offset = 0): Date | undefined {
	const m = DAY.exec(text);
	if (!m) return undefined;
	const [y, mo, d] = m.slice(1).map(Number);
	const day = new Date(Date.UTC(y, mo - 1, d));
	if (day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d || y < 2000 || y > 2100)
		return undefined;
	day.setUTCDate(day.getUTCDate() + offset);
	return zonedToUtc(`${day.toISOString().slice(0, 10)}T00:00`, timeZone);
}

/**
 * The log's filters from a GET form's query string (the page and its CSV read the same). Dates
 * are whole days in `timeZone` (the class's zone; UTC for the administrators' log), `to`
 * included. Values that cannot be right (an unknown id, a bad date) are ignored.
 */
export function logFiltersFromUrl(
	url: URL,
	classId: number | null,
	timeZone: string,
	limit: number
): { filters: LogFilters; values: LogFilterValues } {
	const get = (name: string) => (url.searchParams.get(name) ?? '').trim().slice(0, 200);
	const values: LogFilterValues = {
		action: get('action').slice(0, 60),
		actor: get('actor'),
		target: get('target').slice(0, 60),
		q: get('q').slice(0, 100),
		from: get('from'),
		to: get('to')
	};
	const filters: LogFilters = {
		classId,
		limit,
		action: values.action || undefined,
		actorId: parseId(values.actor) ?? undefined,
		targetKind: values.target || undefined,
		q: values.q || undefined,
		from: startOfDay(values.from, timeZone),
		to: startOfDay(values.to, timeZone, 1),
		before: parseLogCursor(url.searchParams.get('before'))
	};
	return { filters, values };
}

/** The query string of these filters (for "older entries" and the CSV link). */
export function logFilterQuery(
	values: LogFilterValues,
	extra: Record<string, string> = {}
): string {
	const params = new URLSearchParams();
	for (const [k, v] of Object.entries({ ...values, ...extra })) if (v) params.set(k, v);
	const s = params.toString();
	return s ? `?${s}` : '';
}

export const LOG_PAGE_SIZE = 50;
/** A CSV holds at most this many rows (the newest); narrow the filters for older ones. */
export const LOG_CSV_LIMIT = 10_000;

/**
 * What a log page shows: the entries matching the URL's filters, the filter lists, and the links
 * for paging and the CSV of the same filters. `path` is the page's own path.
 */
export async function logPageData(
	db: Executor,
	url: URL,
	opts: { classId: number | null; timeZone: string; path: string }
) {
	const { filters, values } = logFiltersFromUrl(url, opts.classId, opts.timeZone, LOG_PAGE_SIZE);
	const [page, facets] = await Promise.all([listLog(db, filters), listLogFacets(db, opts.classId)]);
	return {
		entries: page.entries.map((e) => ({
			id: e.id,
			actorName: e.actorName,
			action: e.action,
			actionLabel: e.actionLabel,
			targetKind: e.targetKind,
			targetLabel: e.targetLabel,
			reason: e.reason,
			createdAt: e.createdAt
		})),
		facets,
		values,
		filtered: Object.values(values).some(Boolean),
		zone: opts.timeZone,
		clearHref: opts.path,
		olderHref: page.nextBefore
			? opts.path + logFilterQuery(values, { before: page.nextBefore })
			: null,
		newestHref: filters.before ? opts.path + logFilterQuery(values) : null,
		csvHref: `${opts.path}.csv${logFilterQuery(values)}`
	};
}

/** The CSV download of a log under the URL's filters (all matching entries, newest first). */
export async function logCsvResponse(
	db: Executor,
	url: URL,
	opts: { classId: number | null; timeZone: string; filename: string }
): Promise<Response> {
	const { filters } = logFiltersFromUrl(url, opts.classId, opts.timeZone, LOG_CSV_LIMIT);
	const { entries } = await listLog(db, { ...filters, before: undefined });
	return new Response(logCsv(entries), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${opts.filename}"`,
			'cache-control': 'no-store'
		}
	});
}
