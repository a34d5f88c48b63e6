import { openDatabase } from '../db/open';

/**
 * `npm run db:migrate`: brings the PostgreSQL schema at DATABASE_URL up to date and exits. The
 * Node server migrates at start on its own; the Worker never does (it has no migration files and
 * must not race other isolates over them), so a Workers deploy runs this first, from a machine or
 * CI job that reaches the database (docs/DEPLOY.md).
 */
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl?.match(/^postgres(ql)?:\/\//)) {
  process.stderr.write('npm run db:migrate needs DATABASE_URL (the PostgreSQL database the Worker reaches through Hyperdrive)\n');
  process.exit(2);
}
const started = performance.now();
const database = await openDatabase({ url: databaseUrl, maxConnections: 1 });
await database.close();
process.stdout.write(`database schema up to date (${Math.round(performance.now() - started)} ms)\n`);
