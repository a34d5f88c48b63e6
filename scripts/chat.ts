import { createInterface } from 'node:readline/promises';
import { openDatabase } from '../db/open';
import { realTimer, systemClock } from '../lib/clock';
import { createLogger } from '../lib/logger';
import { assemble } from '../runtime/assemble';
import { loadConfigOrExit } from '../runtime/load-config';
import { nodePlatform } from '../runtime/node-platform';
import { type Button, isUrlButton, type Reply } from '../vocabulary/replies';

/**
 * `npm run chat`: the same dialog as the web chat and Telegram, in the terminal. Buttons are
 * numbered; type the number to press one. It uses PostgreSQL when DATABASE_URL is set, else an
 * in-memory database (PGlite files allow one process, and `npm start` may hold them).
 */
async function main() {
  const config = loadConfigOrExit();
  const database = await openDatabase({ url: config.databaseUrl, dataDir: 'memory://' });
  const assistant = await assemble({
    config,
    db: database.db,
    clock: systemClock,
    timer: realTimer,
    logger: createLogger({ level: 'error' }),
    platform: nodePlatform,
  });
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const chatId = `cli-${process.pid}`;
  let pressable: Button[] = [];

  const show = (replies: Reply[] | null) => {
    pressable = [];
    for (const reply of replies ?? []) {
      if (reply.title) process.stdout.write(`\n\x1b[1m${reply.title}\x1b[0m`);
      process.stdout.write(`\n${reply.text}\n`);
      for (const row of reply.buttons ?? []) {
        const cells = row.map((button) => {
          pressable.push(button);
          return isUrlButton(button) ? `[${pressable.length}] ${button.label} (${button.url})` : `[${pressable.length}] ${button.label}`;
        });
        process.stdout.write(`  ${cells.join('   ')}\n`);
      }
    }
  };

  show(await assistant.dialog.handle({ channel: 'cli', externalId: chatId, message: { kind: 'start' } }));
  // Lines are read as they come and answered in turn: lines pasted (or piped) while an answer is
  // being worked out wait their turn instead of being dropped, and the end of input closes the
  // database after the last answer.
  rl.setPrompt('\n> ');
  rl.prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    const pressed = /^\d+$/.test(line) ? pressable[Number(line) - 1] : undefined;
    if (pressed && isUrlButton(pressed)) process.stdout.write(`Open: ${pressed.url}\n`);
    else if (line) {
      const message = pressed ? { kind: 'action' as const, action: pressed.action } : { kind: 'text' as const, text: line };
      show(await assistant.dialog.handle({ channel: 'cli', externalId: chatId, message }));
    }
    rl.prompt();
  }
  await database.close();
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
