// The CLI's option types and "(default …)" help come from the contract's schemas, not copies.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import type { CommandSpec } from '../../src/main/cli/command';
import { COMMANDS } from '../../src/main/cli/commands';
import { commandHelp } from '../../src/main/cli/format';
import { defaultMark, paramOption } from '../../src/main/cli/param-option';
import { collectMethods } from '../../src/shared/contract/collect-methods';
import { hyperParamsSchema, resolveHyperParams } from '../../src/shared/contract/ml-methods';
import { paramDefault, paramKind, paramsShape } from '../../src/shared/contract/param-info';
import { DEFAULT_STUDY_ROUNDS } from '../../src/shared/contract/study-methods';

const helpWith = (options: CommandSpec['options']): string =>
  commandHelp({
    name: 'probe',
    summary: 'a command built in the test',
    positionals: { min: 0, max: 0 },
    options,
    library: 'none',
    run: () => Promise.resolve(),
  });

/** Every option of every command with the help line it prints. */
const allOptions = COMMANDS.flatMap((command) => {
  const help = commandHelp(command).split('\n');
  return Object.entries(command.options).map(([name, spec]) => {
    const line = help.find(
      (l) => l.trimStart().startsWith(`--${name} `) || l.trim() === `--${name}`,
    );
    assert.ok(line !== undefined, `${command.name} --${name} is in its help`);
    return { where: `${command.name} --${name}`, spec, line };
  });
});

void describe('CLI options from the contract', () => {
  void it('a changed default or type in a schema changes the option and its help at once', () => {
    const before = paramOption(z.number().int().min(1).max(99).default(42), {
      value: 'N',
      description: 'how many',
    });
    const after = paramOption(z.number().min(0).max(1).default(0.25), {
      value: 'N',
      description: 'how many',
    });
    assert.equal(before.type, 'int');
    assert.equal(after.type, 'number');
    assert.match(helpWith({ count: before }), /^ {2}--count N {2}how many \(default 42\)$/m);
    assert.match(helpWith({ count: after }), /^ {2}--count N {2}how many \(default 0\.25\)$/m);
    const none = paramOption(z.number().int().nullable().default(null), {
      value: 'N',
      description: 'width',
      none: 'none',
    });
    assert.equal(none.description, 'width (default: none)');
    const noDefault = paramOption(z.number().int().min(1), { value: 'N', description: 'count' });
    assert.equal(noDefault.description, 'count', 'no default, nothing added');
  });

  void it("every derived option's help shows the schema's default and takes its type", () => {
    const derived = allOptions.filter((o) => o.spec.param !== undefined);
    assert.ok(derived.length >= 30, `${derived.length} options read from the contract`);
    for (const { where, spec, line } of derived) {
      const param = spec.param as z.ZodTypeAny;
      assert.equal(spec.type, paramKind(param), `${where} takes what the schema takes`);
      const value: unknown = paramDefault(param);
      // An enum's default may be marked in the text instead: "the centre crop (default) or …".
      if (typeof value === 'string' && line.includes('(default)')) continue;
      if (typeof value === 'number' || typeof value === 'string') {
        const shows = new RegExp(`default ${String(value).replace(/[.|]/g, '\\$&')}(?![\\w.])`);
        assert.match(line, shows, `${where} shows ${value}`);
      }
    }
  });

  void it('no option states a default by hand that the contract does not give it', () => {
    const width = paramsShape(collectMethods['collect.start'].params).width;
    const height = paramsShape(collectMethods['collect.start'].params).height;
    // Defaults that are not one parameter's: the core's rounds for a split, and WxH of two.
    const composed: Record<string, string> = {
      'study create --rounds': String(DEFAULT_STUDY_ROUNDS),
      'collect --size': `${paramDefault(width)}x${paramDefault(height)}`,
    };
    let stated = 0;
    for (const { where, spec, line } of allOptions) {
      const shown = /\(default ([^:)][^)]*)\)/.exec(line)?.[1];
      if (shown === undefined) continue;
      stated += 1;
      if (where in composed) {
        assert.equal(shown, composed[where], where);
        continue;
      }
      assert.ok(spec.param !== undefined, `${where} states "${shown}" by hand`);
      assert.equal(shown, String(paramDefault(spec.param)), where);
    }
    assert.ok(stated >= 30, `${stated} options state a default`);
  });

  void it('the choice marked "(default)" follows the schema\'s default', () => {
    const before = z.enum(['center', 'multiCrop']).default('center');
    const after = z.enum(['center', 'multiCrop']).default('multiCrop');
    const text = (tta: z.ZodTypeAny) =>
      `the centre crop${defaultMark(tta, 'center')} or 10 crops${defaultMark(tta, 'multiCrop')}`;
    assert.equal(text(before), 'the centre crop (default) or 10 crops');
    assert.equal(text(after), 'the centre crop or 10 crops (default)');
    const tta = allOptions.find((o) => o.where === 'evaluate --tta');
    assert.ok(tta?.line.includes('the centre crop (default) or 10 crops averaged'));
    const suggest = COMMANDS.find((c) => c.name === 'suggest');
    assert.equal(suggest?.details?.match(/\(default\)/g)?.length, 1, 'one strategy is the default');
    assert.match(suggest.details, /hybrid \(default\)/);
  });

  void it("train's optimiser line is the paper's recipe from the schema", () => {
    const d = resolveHyperParams({});
    const train = allOptions.find((o) => o.where === 'train --optimizer');
    assert.ok(train !== undefined);
    assert.ok(train.line.endsWith(`default ${d.optimizer} (momentum ${d.momentum})`));
    assert.equal(train.spec.param, hyperParamsSchema.shape.optimizer);
  });
});
