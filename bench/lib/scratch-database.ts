import postgres from 'postgres';

/**
 * A fresh PostgreSQL database on `server` for one bench run (any leftover of the same name from
 * an interrupted run is dropped first). `drop()` removes it and closes the admin connection.
 *
 * @example
 * const scratch = await scratchDatabase('postgres://postgres@127.0.0.1:5432/test', `mc_bench_${process.pid}`);
 * try { await openDatabase({ url: scratch.url }); … } finally { await scratch.drop(); }
 */
export async function scratchDatabase(server: string, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}
