import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import Database from 'better-sqlite3';
import { Sql } from '../../src/main/core/db/sql';

describe('Sql wrapper', () => {
  it('prepares each statement once, binds parameters, and logs slow queries to stderr', (t) => {
    const db = new Database(':memory:');
    t.after(() => db.close());
    const logged: string[] = [];
    const error = mock.method(console, 'error', (...args: unknown[]) =>
      logged.push(args.join(' ')),
    );
    t.after(() => error.mock.restore());

    const fast = new Sql(db);
    fast.run('CREATE TABLE t (x INTEGER, y TEXT)');
    fast.run('INSERT INTO t VALUES (?, ?)', [1, 'a']);
    fast.run('INSERT INTO t VALUES (?, ?)', [2, "b'); DROP TABLE t; --"]);
    assert.deepEqual(fast.all('SELECT x, y FROM t ORDER BY x'), [
      { x: 1, y: 'a' },
      { x: 2, y: "b'); DROP TABLE t; --" },
    ]);
    assert.deepEqual(fast.get('SELECT COUNT(*) AS n FROM t WHERE x > ?', [0]), { n: 2 });
    assert.deepEqual(logged, []);

    // A threshold of 0 ms makes every query "slow".
    const slow = new Sql(db, 0);
    slow.get('SELECT   COUNT(*)\n  FROM t');
    assert.equal(logged.length, 1);
    assert.match(String(logged[0]), /^slow query \(\d+\.\d ms\): SELECT COUNT\(\*\) FROM t$/);
  });

  it('rolls a transaction back when it throws', (t) => {
    const db = new Database(':memory:');
    t.after(() => db.close());
    const sql = new Sql(db);
    sql.run('CREATE TABLE t (x INTEGER)');
    assert.throws(() =>
      sql.transaction(() => {
        sql.run('INSERT INTO t VALUES (1)');
        throw new Error('stop');
      }),
    );
    assert.deepEqual(sql.get('SELECT COUNT(*) AS n FROM t'), { n: 0 });
  });
});
