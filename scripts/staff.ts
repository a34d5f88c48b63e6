import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/open';
import { commandLineActor, createStaff, disableStaff, listStaff, newStaffSchema, resetPassword } from '../domain/people/staff';
import { systemClock } from '../lib/clock';
import { formatLocalDateTime } from '../lib/vn-time';
import { installTemplateFolder } from '../runtime/install-template';
import { loadConfigOrExit } from '../runtime/load-config';

const USAGE = `Staff accounts:
  npm run staff -- add --name "Nguyễn Văn A" --username nva --role admin|official|staff [--office 1]
  npm run staff -- list
  npm run staff -- disable --username nva
  npm run staff -- reset-password --username nva
A new or reset account gets a one-time password, printed once (only its scrypt hash is stored); the console asks for a new password at the first sign-in.`;

const fail = (message: string): number => {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  return 2;
};

const announcePassword = (username: string, password: string) =>
  process.stdout.write(`Password for ${username} (shown once; give it to the person and ask them to keep it secret):\n  ${password}\n`);

/**
 * `npm run staff -- <command>`: account tools for whoever runs the server. It opens the same
 * database as `npm start` (PGlite under DATA_DIR, or DATABASE_URL); stop the server first when
 * it runs on PGlite files, which allow one process at a time.
 */
async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  let values: { name?: string; username?: string; role?: string; office?: string };
  try {
    ({ values } = parseArgs({
      args: rest,
      options: { name: { type: 'string' }, username: { type: 'string' }, role: { type: 'string' }, office: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
  if (!command || !['add', 'list', 'disable', 'reset-password'].includes(command)) return fail(command ? `Unknown command ${command}.` : 'Which command?');
  const config = loadConfigOrExit();
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, template: installTemplateFolder, maxConnections: 2 });
  const actor = commandLineActor(userInfo().username);
  const now = systemClock.now();
  try {
    switch (command) {
      case 'add': {
        const input = newStaffSchema.safeParse({
          name: values.name,
          username: values.username,
          role: values.role,
          officeId: values.office === undefined ? null : Number(values.office),
        });
        if (!input.success) {
          return fail(input.error.issues.map((i) => `--${i.path[0] === 'officeId' ? 'office' : String(i.path[0])}: ${i.message}`).join('\n'));
        }
        const created = await createStaff(database.db, input.data, actor, now);
        if (!created.ok) return fail(created.message ?? created.reason);
        const { staff, password } = created.value;
        process.stdout.write(`Created ${staff.username} (${staff.name}), role ${staff.role}${staff.officeId ? `, office ${staff.officeId}` : ''}.\n`);
        announcePassword(staff.username, password);
        return 0;
      }
      case 'list': {
        for (const s of await listStaff(database.db)) {
          const state = s.disabledAt ? `disabled ${formatLocalDateTime(s.disabledAt)}` : 'active';
          process.stdout.write(`${s.username.padEnd(20)} ${s.role.padEnd(9)} office ${String(s.officeId ?? '-').padEnd(4)} ${state.padEnd(26)} ${s.name}\n`);
        }
        return 0;
      }
      case 'disable': {
        if (!values.username) return fail('--username is required.');
        const done = await disableStaff(database.db, values.username, actor, now);
        if (!done.ok) return fail(done.message ?? done.reason);
        process.stdout.write(`Disabled ${done.value.username}; their sessions are ended.\n`);
        return 0;
      }
      default: {
        if (!values.username) return fail('--username is required.');
        const reset = await resetPassword(database.db, values.username, actor, now);
        if (!reset.ok) return fail(reset.message ?? reset.reason);
        announcePassword(reset.value.staff.username, reset.value.password);
        return 0;
      }
    }
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
