// `npm start`: serves the built app. Reads a .env file first when there is one (the environment
// wins over it), then hands over to the adapter-node server, which applies migrations on start.
import fs from 'node:fs';

if (fs.existsSync('.env')) process.loadEnvFile('.env');
process.env.PORT ??= '3000';

await import('../build/index.js');
