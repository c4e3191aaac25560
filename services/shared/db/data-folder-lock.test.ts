import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeDatabase, createDatabase } from './database.js';
import { DataFolderInUseError } from './data-folder-lock.js';

describe('a PGlite data folder', () => {
  const folders: string[] = [];
  afterEach(() => {
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it('is opened by one process at a time: a second opener gets an error naming the folder and what to do', async () => {
    const root = mkdtempSync(join(tmpdir(), 'boxoffice-lock-'));
    folders.push(root);
    const dataDir = join(root, 'pglite');
    const first = createDatabase({ kind: 'pglite', dataDir });
    await first.raw('select 1');
    let refusal: unknown;
    try {
      createDatabase({ kind: 'pglite', dataDir });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(DataFolderInUseError);
    expect((refusal as Error).message).toContain(dataDir);
    expect((refusal as Error).message).toMatch(/BOXOFFICE_DATA_DIR/);

    // Closed, the folder is free again, with its data.
    await first.raw('create table kept (id int)');
    await closeDatabase(first);
    const second = createDatabase({ kind: 'pglite', dataDir });
    expect((await second.raw("select count(*) as n from information_schema.tables where table_name = 'kept'")).rows[0].n).toBe(1);
    await closeDatabase(second);
  });
});
