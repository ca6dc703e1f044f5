import type Database from 'better-sqlite3';

/**
 * One schema step. Migrations are append-only: once released, a migration's version and name never
 * change (a hash of them is stored and checked on every open) and its body is never edited.
 */
export type Migration = {
  version: number;
  name: string;
  up(db: Database.Database): void;
};
