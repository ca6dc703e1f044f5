import { COLLECT_COMMAND } from './collect-command';
import type { CommandSpec } from './command';
import { EMBED_COMMAND, EXPLAIN_COMMAND } from './explain-command';
import { GEO_COMMANDS } from './geo-commands';
import { GEOLOCATE_COMMAND } from './geolocate-command';
import { LABELING_COMMANDS } from './labeling-commands';
import { LIBRARY_COMMANDS } from './library-commands';
import { MAXIMISE_COMMAND } from './maximise-command';
import { ML_COMMANDS } from './ml-commands';
import { SERVE_COMMAND } from './serve-command';
import { STUDY_COMMANDS } from './study-commands';

/**
 * Every CLI command, in help order. A feature adds its own table in its own file and spreads it in
 * here, e.g. `...ML_COMMANDS` from ml-commands.ts for `backbone import|list|download`, `features`,
 * `train`, `evaluate` and `predict` (two-word names like `backbone import` need nothing else).
 */
export const COMMANDS: readonly CommandSpec[] = [
  ...LIBRARY_COMMANDS,
  ...ML_COMMANDS,
  EXPLAIN_COMMAND,
  EMBED_COMMAND,
  MAXIMISE_COMMAND,
  GEOLOCATE_COMMAND,
  COLLECT_COMMAND,
  ...GEO_COMMANDS,
  ...LABELING_COMMANDS,
  ...STUDY_COMMANDS,
  SERVE_COMMAND,
];
