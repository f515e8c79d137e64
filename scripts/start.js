// `npm start`: serves the built app. Reads a .env file first when there is one (the environment
// wins over it), then hands over to the adapter-node server, which applies migrations on start.
import fs from 'node:fs';

if (fs.existsSync('.env')) process.loadEnvFile('.env');
process.env.PORT ??= '3000';
// Course packages (zip or JSON, up to 2 MB unpacked) are uploaded; adapter-node's default is 512K.
process.env.BODY_SIZE_LIMIT ??= '3M';
// adapter-node assumes https when it cannot tell, which would make every form post look cross-site
// on a plain local server. Deployed behind a proxy, set ORIGIN (or PROTOCOL_HEADER and HOST_HEADER).
if (!process.env.ORIGIN && !process.env.PROTOCOL_HEADER) {
	process.env.ORIGIN = `http://localhost:${process.env.PORT}`;
}

await import('../build/index.js');
