import fs from 'node:fs';
import path from 'node:path';

// Two processes writing one PGlite directory lose writes without any error, so the directory is
// guarded by a lock file holding the owner's pid. A lock left by a process that has died is taken over.
export class DirectoryLockedError extends Error {
	constructor(
		readonly dir: string,
		readonly pid: number
	) {
		super(
			`The embedded database in ${dir} is in use by another process (pid ${pid}). ` +
				`Stop that process first (for example the running app), or point PGLITE_DIR at another directory.`
		);
		this.name = 'DirectoryLockedError';
	}
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return (e as NodeJS.ErrnoException).code === 'EPERM';
	}
}

// Locks this process holds: opening the same directory twice in one process is refused too.
const held = new Set<string>();

export function lockPathFor(dir: string): string {
	return path.join(path.dirname(path.resolve(dir)), `.${path.basename(dir)}.lock`);
}

/** Takes the lock on `dir` for this process; returns the function that releases it. */
export function acquireDirectoryLock(dir: string): () => void {
	const lockPath = lockPathFor(dir);
	fs.mkdirSync(path.dirname(lockPath), { recursive: true });
	for (let attempt = 0; attempt < 3; attempt++) {
		try {
			const fd = fs.openSync(lockPath, 'wx');
			fs.writeSync(fd, String(process.pid));
			fs.closeSync(fd);
			held.add(lockPath);
			let released = false;
			const release = () => {
				if (released) return;
				released = true;
				held.delete(lockPath);
				try {
					if (fs.readFileSync(lockPath, 'utf8').trim() === String(process.pid))
						fs.unlinkSync(lockPath);
				} catch {
					// already gone
				}
			};
			process.once('exit', release);
			return release;
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
			const owner = Number.parseInt(fs.readFileSync(lockPath, 'utf8').trim(), 10);
			const ownedHere = owner === process.pid && held.has(lockPath);
			// Our own pid in a lock we do not hold is a leftover of an earlier process that had it.
			if (ownedHere || (Number.isInteger(owner) && owner !== process.pid && isAlive(owner))) {
				throw new DirectoryLockedError(dir, owner);
			}
			// Stale (owner died) or unreadable: remove and try again.
			fs.rmSync(lockPath, { force: true });
		}
	}
	throw new Error(`Could not take the lock ${lockPath}`);
}
