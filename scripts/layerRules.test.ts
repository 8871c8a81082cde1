import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

// The import rules of ARCHITECTURE.md live in eslint.config.js; this checks they still bite, so a
// config edit cannot silently switch them off.
const eslint = new ESLint();

async function restrictedImports(filePath: string, code: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').length;
}

describe('layer rules', () => {
  it.each([
    ['common/domain/x.ts', "import { openDatabase } from '../../main/store/database';"],
    ['common/domain/x.ts', "import { readFileSync } from 'node:fs';"],
    ['common/domain/x.ts', "import { app } from 'electron';"],
    ['main/store/x.ts', "import { app } from 'electron';"],
    ['main/store/x.ts', "import { desk } from '../../renderer/src/bridge';"],
    ['renderer/src/x.ts', "import { openDatabase } from '../../main/store/database';"],
    ['renderer/src/x.ts', "import { readFileSync } from 'fs';"],
    ['preload/x.ts', "import { openDesk } from '../main/app/openDesk';"],
    ['server/x.ts', "import { Database } from '../native/sqlite';"],
    ['server/routes/x.ts', "import { openDesk } from '../../main/app/openDesk';"],
    ['server/store/x.ts', "import { desk } from '../../renderer/src/bridge';"],
    ['server/x.ts', "import { contextBridge } from 'electron';"],
  ])('%s may not: %s', async (file, code) => {
    expect(await restrictedImports(file, `${code}\nexport const used = 1;\n`)).toBeGreaterThan(0);
  });

  it.each([
    ['main/store/x.ts', "import { Database } from '../../native/sqlite';"],
    ['main/electron/x.ts', "import { app } from 'electron';"],
    ['preload/x.ts', "import { contextBridge } from 'electron';"],
    ['renderer/src/x.ts', "import { deskCalls } from '../../common/contract';"],
    ['common/domain/x.ts', "import { z } from 'zod';"],
    ['server/routes/x.ts', "import { PushRequest } from '../../common/sync/protocol';"],
    ['server/store/x.ts', "import { createHash } from 'node:crypto';"],
  ])('%s may: %s', async (file, code) => {
    expect(await restrictedImports(file, `${code}\nexport const used = 1;\n`)).toBe(0);
  });
});
