// CPU and memory of the app process(es) and of Postgres, read from /proc once a second. Postgres
// is shared with other work on this machine, so only the backends connected to the bench's
// database are counted as "postgres (backends)"; the server's own processes (checkpointer, WAL
// writer…) are reported apart, since another database's load also lands on them.
import fs from 'node:fs';

const TICK = 100; // USER_HZ on Linux
const PAGE_KB = 4;

function read(path: string): string | null {
	try {
		return fs.readFileSync(path, 'utf8');
	} catch {
		return null;
	}
}

/** utime + stime in seconds, and resident memory in MB (RSS; PSS for Postgres's shared buffers). */
function sample(pid: number, pss: boolean): { cpu: number; memMb: number } | null {
	const stat = read(`/proc/${pid}/stat`);
	if (!stat) return null;
	const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	const cpu = (Number(f[11]) + Number(f[12])) / TICK;
	let memMb = (Number(f[21]) * PAGE_KB) / 1024;
	if (pss) {
		const m = /^Pss:\s+(\d+) kB/m.exec(read(`/proc/${pid}/smaps_rollup`) ?? '');
		if (m) memMb = Number(m[1]) / 1024;
	}
	return { cpu, memMb };
}

function postgresPids(database: string): { backends: number[]; server: number[] } {
	const backends: number[] = [];
	const server: number[] = [];
	for (const d of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(d)) continue;
		if (read(`/proc/${d}/comm`)?.trim() !== 'postgres') continue;
		const cmd = (read(`/proc/${d}/cmdline`) ?? '').replace(/\0/g, ' ').trim();
		// "postgres: 15/main: user database host(port) state" is a client's backend over TCP,
		// "… user database [local] state" one over the Unix socket; the rest (postmaster,
		// checkpointer, WAL writer…) serve the whole server.
		const m = /^postgres: (?:[^:]+: )?(\S+) (\S+) (?:\S+\(\d+\)|\[local\])/.exec(cmd);
		if (m) {
			if (m[2] === database) backends.push(Number(d));
		} else server.push(Number(d));
	}
	return { backends, server };
}

export interface Usage {
	/** CPU seconds used in the window, and as a share of one core (1.0 = one core busy). */
	cpuSeconds: number;
	cores: number;
	peakCores: number;
	memMbPeak: number;
}

type Group = { prev: Map<number, number>; cpu: number; peakCores: number; memPeak: number };

export class ProcSampler {
	private groups = new Map<string, Group>();
	private timer: NodeJS.Timeout | undefined;
	private began = 0;
	private last = 0;

	constructor(
		private appPids: () => number[],
		private database: string
	) {}

	start(): void {
		this.began = this.last = performance.now();
		this.tick(true);
		this.timer = setInterval(() => this.tick(false), 1000);
	}

	private tick(first: boolean): void {
		const now = performance.now();
		const dt = (now - this.last) / 1000;
		this.last = now;
		const pg = postgresPids(this.database);
		const sets: [string, number[], boolean][] = [
			['app', this.appPids(), false],
			['postgres (backends)', pg.backends, true],
			['postgres (server processes, shared)', pg.server, true]
		];
		for (const [name, pids, pss] of sets) {
			let g = this.groups.get(name);
			if (!g) this.groups.set(name, (g = { prev: new Map(), cpu: 0, peakCores: 0, memPeak: 0 }));
			let used = 0;
			let mem = 0;
			const next = new Map<number, number>();
			for (const pid of pids) {
				const s = sample(pid, pss);
				if (!s) continue;
				next.set(pid, s.cpu);
				mem += s.memMb;
				// A process first seen now counts from here (its earlier CPU is not this run's).
				if (!first && g.prev.has(pid)) used += s.cpu - g.prev.get(pid)!;
			}
			g.prev = next;
			g.cpu += used;
			if (!first && dt > 0) g.peakCores = Math.max(g.peakCores, used / dt);
			g.memPeak = Math.max(g.memPeak, mem);
		}
	}

	stop(): Record<string, Usage> {
		clearInterval(this.timer);
		this.tick(false);
		const wall = (performance.now() - this.began) / 1000;
		const out: Record<string, Usage> = {};
		for (const [name, g] of this.groups)
			out[name] = {
				cpuSeconds: g.cpu,
				cores: wall > 0 ? g.cpu / wall : 0,
				peakCores: g.peakCores,
				memMbPeak: g.memPeak
			};
		return out;
	}
}
