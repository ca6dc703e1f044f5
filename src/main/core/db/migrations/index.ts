import type { Migration } from '../migration';
import { migration001Library } from './001-library';
import { migration002Ml } from './002-ml';
import { migration003LatestPredictions } from './003-latest-predictions';
import { migration004Explanations } from './004-explanations';
import { migration005Studies } from './005-studies';
import { migration006EvaluationItems } from './006-evaluation-items';
import { migration007Geolocation } from './007-geolocation';
import { migration008Collect } from './008-collect';
import { migration009OpenSet } from './009-open-set';
import { migration010Labeling } from './010-labeling';
import { migration011Hardening } from './011-hardening';

/**
 * Every schema step, oldest first; version N sits at index N-1. Append new files here (e.g.
 * `002-ml.ts`); never edit, rename or reorder one that has shipped.
 */
export const MIGRATIONS: readonly Migration[] = [
  migration001Library,
  migration002Ml,
  migration003LatestPredictions,
  migration004Explanations,
  migration005Studies,
  migration006EvaluationItems,
  migration007Geolocation,
  migration008Collect,
  migration009OpenSet,
  migration010Labeling,
  migration011Hardening,
];
