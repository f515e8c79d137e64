// Command-line options of `npm run bench` (see bench/README.md).
import { parseArgs } from 'node:util';

export function readOptions(argv = process.argv.slice(2)) {
	const { values } = parseArgs({
		args: argv,
		options: {
			quick: { type: 'boolean', default: false },
			manifest: { type: 'string' },
			compare: { type: 'string' },
			seconds: { type: 'string' },
			warm: { type: 'string' },
			requests: { type: 'string' },
			connections: { type: 'string', default: '50' },
			only: { type: 'string' },
			'no-build': { type: 'boolean', default: false },
			'counts-only': { type: 'boolean', default: false },
			'idle-streams': { type: 'string' },
			'idle-seconds': { type: 'string' },
			port: { type: 'string', default: process.env.BENCH_PORT ?? '4300' },
			help: { type: 'boolean', default: false }
		}
	});
	const quick = values.quick;
	const num = (v, d) => (v === undefined ? d : Number(v));
	return {
		quick,
		manifest: values.manifest,
		compare: values.compare,
		seconds: num(values.seconds, quick ? 2 : 10),
		warmSeconds: num(values.warm, quick ? 1 : 3),
		// Quick runs send a fixed number of requests (all answered, whatever the machine's speed)
		// instead of running for a time in which a busy machine may answer none.
		requests: num(values.requests, quick ? 100 : undefined),
		connections: num(values.connections, 50),
		only: values.only ? new Set(values.only.split(',')) : null,
		build: !values['no-build'],
		countsOnly: values['counts-only'],
		idleStreams: num(values['idle-streams'], 2000),
		idleSeconds: num(values['idle-seconds'], quick ? 5 : 30),
		port: num(values.port, 4300),
		help: values.help
	};
}

export const USAGE = `npm run bench [-- options]
  --quick               small data (seeded by the run), 2 s a scenario; ratio, latency, weight and
                        memory targets warn, errors and query growth fail
  --manifest FILE       the seeded database to measure (default bench/.data/manifest.json)
  --compare FILE        a second seeded database (another data size) for the query-growth check
  --seconds N --warm N  measured and warm-up seconds a scenario (10 and 3)
  --requests N          a fixed number of requests a scenario instead (quick: 100, a quarter
                        more as the warm-up)
  --connections N       autocannon connections (50)
  --only a,b            only these scenarios (names as in the JSON)
  --idle-streams N      idle live-discussion readers (2000); --idle-seconds N (30; quick: 5)
  --no-build            use the existing build/
  --counts-only         only the query counts (both data sizes) and the idle readers
  --port N              first of the five ports the run uses (4300)`;
