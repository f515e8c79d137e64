import net from 'node:net';

/**
 * A TCP proxy between the app and PostgreSQL, to cut and restore the connection in tests: cutting
 * destroys every open connection and refuses (closes at once) every new one, as a server restart
 * or a network outage would; restoring lets connections through again.
 */
export interface TcpProxy {
	port: number;
	/** `url` with its host and port replaced by the proxy's. */
	via(url: string): string;
	cut(): void;
	restore(): void;
	/** Connections currently passing through. */
	open(): number;
	close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
	let down = false;
	const pairs = new Set<[net.Socket, net.Socket]>();
	const server = net.createServer((client) => {
		if (down) {
			client.destroy();
			return;
		}
		const upstream = net.connect(target.port, target.host);
		const pair: [net.Socket, net.Socket] = [client, upstream];
		pairs.add(pair);
		const end = () => {
			pairs.delete(pair);
			client.destroy();
			upstream.destroy();
		};
		client.on('error', end).on('close', end);
		upstream.on('error', end).on('close', end);
		client.pipe(upstream);
		upstream.pipe(client);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as net.AddressInfo).port;
	const proxy: TcpProxy = {
		port,
		via(url) {
			const u = new URL(url);
			u.hostname = '127.0.0.1';
			u.port = String(port);
			return u.toString();
		},
		cut() {
			down = true;
			for (const [a, b] of pairs) {
				a.destroy();
				b.destroy();
			}
			pairs.clear();
		},
		restore() {
			down = false;
		},
		open: () => pairs.size,
		async close() {
			proxy.cut();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	};
	return proxy;
}

export function targetOf(url: string): { host: string; port: number } {
	const u = new URL(url);
	return { host: u.hostname || '127.0.0.1', port: Number(u.port || 5432) };
}
