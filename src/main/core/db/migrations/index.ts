import type { Migration } from '../migration';
import { migration001Library } from './001-library';
import { migration002Ml } from './002-ml';

/**
 * Every schema step, oldest first; version N sits at index N-1. Append new files here (e.g.
 * `002-ml.ts`); never edit, rename or reorder one that has shipped.
 */
export const MIGRATIONS: readonly Migration[] = [migration001Library, migration002Ml];
