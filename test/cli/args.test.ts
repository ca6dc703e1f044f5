import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseCommandLine, UsageError } from '../../src/main/cli/args';
import { COMMANDS } from '../../src/main/cli/commands';
import { table } from '../../src/main/cli/format';

const parse = (...argv: string[]) => parseCommandLine(argv, COMMANDS);
const usage = (pattern: RegExp) => (error: unknown) =>
  error instanceof UsageError && pattern.test(error.message);

describe('CLI argument parsing', () => {
  test('global options anywhere; command options typed; negative numbers as values', () => {
    const line = parse(
      'cities',
      'add',
      'New York',
      '--lat',
      '40.7',
      '--library',
      'lib',
      '--lon',
      '-74.006',
      '--json',
    );
    assert.equal(line.command?.name, 'cities add');
    assert.deepEqual(line.positionals, ['New York']);
    assert.deepEqual(line.options, { lat: 40.7, lon: -74.006 });
    assert.deepEqual(line.global, { library: 'lib', json: true, help: false, version: false });
    assert.deepEqual(parse('--library=x', 'split', '--seed=7', '--train=.8').options, {
      seed: 7,
      train: 0.8,
    });
  });

  test('two-word commands, aliases, and `--` before positionals that look like options', () => {
    assert.equal(parse('cities').command?.name, 'cities list');
    assert.equal(parse('cities', 'list').command?.name, 'cities list');
    assert.equal(parse('cities', '--json').command?.name, 'cities list');
    const line = parse('import', '--csv', 'm.csv', '--', '-weird-folder', 'b');
    assert.deepEqual(line.positionals, ['-weird-folder', 'b']);
    assert.deepEqual(line.options, { csv: 'm.csv' });
  });

  test('help and version need no complete command line', () => {
    assert.equal(parse('cities', 'add', '-h').global.help, true);
    assert.equal(parse('--version').global.version, true);
    assert.equal(parse().command, null);
  });

  test('every kind of bad command line is a UsageError naming the problem', () => {
    assert.throws(() => parse('nope'), usage(/Unknown command "nope"/));
    assert.throws(
      () => parse('cities', 'rename'),
      usage(/Unknown subcommand "cities rename"; choose from list, add, remove/),
    );
    assert.throws(
      () => parse('--seed', '3', 'split'),
      usage(/Unknown option --seed \(a command's options go after/),
    );
    assert.throws(() => parse('split', '--seed'), usage(/--seed needs a value \(N\)/));
    assert.throws(() => parse('split', '--seed', '--json'), usage(/--seed needs a value/));
    assert.throws(
      () => parse('split', '--seed', '0x10'),
      usage(/--seed expects a whole number, not "0x10"/),
    );
    assert.throws(() => parse('split', '--train', '1e400'), usage(/--train expects a number/));
    assert.throws(() => parse('split', '--train', ''), usage(/--train expects a number/));
    assert.throws(
      () => parse('split', '--seed', '1', '--seed', '2'),
      usage(/--seed is given more than once/),
    );
    assert.throws(() => parse('stats', '--json=yes'), usage(/--json takes no value/));
    assert.throws(() => parse('stats', 'extra'), usage(/stats takes no arguments \(got "extra"\)/));
    assert.throws(
      () => parse('cities', 'add', 'New', 'York', '--lat', '1', '--lon', '1'),
      usage(/quote names with spaces/),
    );
    assert.throws(
      () => parse('cities', 'add', '--lat', '1', '--lon', '1'),
      usage(/cities add needs NAME/),
    );
    assert.throws(
      () => parse('cities', 'add', 'X', '--lat', '1'),
      usage(/cities add needs --lon DEG/),
    );
    assert.throws(() => parse('import', '--csv', ''), usage(/--csv needs a non-empty value/));
    assert.throws(() => parse('-x'), usage(/Unknown option -x/));
  });

  test('tables right-align numeric columns', () => {
    assert.equal(
      table(
        ['City', 'Lat', 'Labeled'],
        [
          ['Paris', '48.8566', 3],
          ['Rio', '-22.9068', 12],
        ],
      ),
      [
        'City        Lat  Labeled',
        '-----  --------  -------',
        'Paris   48.8566        3',
        'Rio    -22.9068       12',
      ].join('\n'),
    );
  });
});
