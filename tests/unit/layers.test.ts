import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const CONFIG = resolve('.dependency-cruiser.cjs');
const DEPCRUISE = resolve('node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

/**
 * Runs `npm run check:layers`'s rules over a small made-up tree (path -> source), so each rule is
 * shown to fail on the import it forbids and to pass the ones it allows.
 */
async function cruise(files: Record<string, string>): Promise<{ code: number; output: string }> {
  dir = mkdtempSync(join(tmpdir(), 'layers-'));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler', strict: true } }));
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), source);
  }
  const folders = [...new Set(Object.keys(files).map((f) => f.split('/')[0] ?? ''))];
  try {
    const { stdout } = await run(process.execPath, [DEPCRUISE, '--config', CONFIG, '--output-type', 'err', ...folders], { cwd: dir });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

describe('the layers check (npm run check:layers)', () => {
  it('passes imports that point down the layers', async () => {
    const result = await cruise({
      'vocabulary/channels.ts': "export const CHANNELS = ['web'] as const;\n",
      'db/schema.ts': "import { CHANNELS } from '../vocabulary/channels';\nexport const table = CHANNELS;\n",
      'domain/outbox.ts': "import { table } from '../db/schema';\nexport const rows = table;\n",
      'api/routes.ts': "import { rows } from '../domain/outbox';\nexport const routes = rows;\n",
    });
    expect(result.output).toContain('no dependency violations');
    expect(result.code).toBe(0);
  });

  it('fails on domain importing the channels above it', async () => {
    const result = await cruise({
      'bot/channels/port.ts': 'export const SENT = 1;\n',
      'domain/delivery.ts': "import { SENT } from '../bot/channels/port';\nexport const done = SENT;\n",
    });
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('layer-domain: domain/delivery.ts → bot/channels/port.ts');
  });

  it('fails on the database schema importing the dialog', async () => {
    const result = await cruise({
      'bot/core/types.ts': 'export interface Reply { text: string }\n',
      'db/schema.ts': "import type { Reply } from '../bot/core/types';\nexport type Row = Reply;\n",
    });
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('layer-db: db/schema.ts → bot/core/types.ts');
  });

  it('fails on a cycle, even inside one layer', async () => {
    const result = await cruise({
      'domain/notify.ts': "import { filter } from './settings';\nexport const notify = () => filter;\n",
      'domain/settings.ts': "import { notify } from './notify';\nexport const filter = () => notify;\n",
    });
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('no-circular');
  });

  it('lets the dialog core name domain types, never run domain code', async () => {
    const typeOnly = await cruise({
      'domain/lookup.ts': 'export interface Card { code: string }\nexport const look = () => 1;\n',
      'bot/core/ports.ts': "import type { Card } from '../../domain/lookup';\nexport type Port = () => Card;\n",
    });
    expect(typeOnly.code).toBe(0);
    const value = await cruise({
      'domain/lookup.ts': 'export const look = () => 1;\n',
      'bot/core/dialog.ts': "import { look } from '../../domain/lookup';\nexport const run = look;\n",
    });
    expect(value.code).not.toBe(0);
    expect(value.output).toContain('bot-core-type-only-domain: bot/core/dialog.ts → domain/lookup.ts');
  });
});
