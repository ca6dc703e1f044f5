// The layers inside src/main hold because lint refuses imports across them (eslint.config.mjs).
// These cases run the project's own lint config on small sources placed at real paths, so a
// loosened pattern fails here and not only in review.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const RULE = '@typescript-eslint/no-restricted-imports';

// Only the layering rule runs, without type information: a second per case instead of a full
// type-checked program.
const eslint = new ESLint({
  cwd: process.cwd(),
  ruleFilter: ({ ruleId }) => ruleId === RULE,
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
});

/** The layering complaints about `code` if it were the file `filePath`. */
async function layeringErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  assert.ok(result);
  return result.messages.filter((m) => m.ruleId === RULE).map((m) => m.message);
}

void describe('lint layering in src/main', () => {
  void it('refuses an ML host import of the core', async () => {
    const errors = await layeringErrors(
      'src/main/ml-host/pipeline/feature-db.ts',
      "import { openDatabase } from '../../core/db/open-database';\nexport const open = openDatabase;\n",
    );
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? '', /never imports the core/);
  });

  void it('lets the ML host use the platform layer', async () => {
    const errors = await layeringErrors(
      'src/main/ml-host/pipeline/feature-db.ts',
      "import { openDatabase } from '../../platform/open-database';\nexport const open = openDatabase;\n",
    );
    assert.deepEqual(errors, []);
  });

  void it('refuses a core runtime import of ML host internals, but not of its client or types', async () => {
    const errors = await layeringErrors(
      'src/main/core/ml-jobs/ml-service.ts',
      [
        "import { trainHead } from '../../ml-host/train/stage1';",
        "import { loadModelBundle } from '../../ml-host/eval';",
        "import { MlHostClient } from '../../ml-host/host';",
        "import type { HeadState } from '../../ml-host/train/types';",
        'export const used = [trainHead, loadModelBundle, MlHostClient];',
        'export type Head = HeadState;',
        '',
      ].join('\n'),
    );
    assert.equal(errors.length, 2);
    assert.match(errors[0] ?? '', /'\.\.\/\.\.\/ml-host\/train\/stage1'/);
    assert.match(errors[1] ?? '', /'\.\.\/\.\.\/ml-host\/eval'/);
  });

  void it('holds for the doors too', async () => {
    const errors = await layeringErrors(
      'src/main/server/http-bridge.ts',
      "import { tsne } from '../ml-host/explain/tsne';\nexport const layout = tsne;\n",
    );
    assert.equal(errors.length, 1);
  });

  void it('keeps the platform layer below the core and the ML host', async () => {
    for (const target of ['../core/paths', '../ml-host/host']) {
      const errors = await layeringErrors(
        'src/main/platform/open-database.ts',
        `import { x } from '${target}';\nexport const y = x;\n`,
      );
      assert.equal(errors.length, 1, target);
    }
  });
});
