import { z } from 'zod';
import { jobMethod, method } from './define';
import type { LabelingStatus, QueueAnswer, QueueUndo } from './label-queue-types';
import {
  ACTIONS_OF_QUEUE,
  LABEL_QUEUES,
  LABEL_STRATEGIES,
  QUEUE_ACTIONS,
} from './label-queue-types';

const modelId = z.string().min(1).max(100);
const cityName = z.string().trim().min(1).max(100);
const seed = z.number().int().nonnegative().default(1);

export const labelQueueMethods = {
  /**
   * A person labels photos the library holds, named by path (`city: null` clears the label). All
   * or nothing: a path the library does not hold is BAD_ARGUMENT and changes nothing.
   */
  'labels.setByPath': method<{ updated: number }>()(
    z
      .object({
        paths: z.array(z.string().min(1)).min(1).max(100_000),
        city: cityName.nullable(),
      })
      .strict(),
  ),

  /**
   * Every labelled photo as CSV (`path,city,source,labelled_at,excluded`): who gave each label
   * travels with it ('queue' for the labeling queues), and the file imports back as a manifest.
   */
  'labels.export': method<{ csv: string; rows: number }>()(z.object({}).strict()),

  /**
   * Ranks the photos without a human label (unlabelled, or labelled by a model only; excluded
   * photos left out) for labeling, most useful first, from cached features (computed first where
   * missing) and the current head: the one retrained on this session's labels, else the model's.
   */
  'queue.suggest': jobMethod('label-rank')(
    z
      .object({
        modelId,
        n: z.number().int().min(1).max(100_000).default(50),
        strategy: z.enum(LABEL_STRATEGIES).default('hybrid'),
        seed,
      })
      .strict(),
  ),

  /**
   * Records what a person did with a queue's photo (see QUEUE_ACTIONS); every answer can be
   * undone. Labels become the photo's label with source 'queue'. Every `retrainEvery` labels the
   * head retrains in the background; a retrain still running when a label arrives is replaced.
   */
  'queue.answer': method<QueueAnswer>()(
    z
      .object({
        modelId,
        queue: z.enum(LABEL_QUEUES),
        imageId: z.number().int().positive(),
        action: z.enum(QUEUE_ACTIONS),
        city: cityName.nullable().default(null),
      })
      .strict()
      .refine((p) => ACTIONS_OF_QUEUE[p.queue].includes(p.action), {
        message: 'label-next takes label, skip or exclude; suspects take keep, change or exclude',
      })
      .refine((p) => (p.action === 'label' || p.action === 'change') === (p.city !== null), {
        message: 'label and change need a city; the other actions take none',
      }),
  ),
  /** Undoes the queue's latest answer not yet undone: the label, source and exclusion before it. */
  'queue.undo': method<QueueUndo>()(z.object({ modelId, queue: z.enum(LABEL_QUEUES) }).strict()),
  'queue.status': method<LabelingStatus>()(z.object({ modelId }).strict()),
  /** The library's labeling settings. */
  'queue.settings': method<{ retrainEvery: number }>()(
    z.object({ retrainEvery: z.number().int().min(1).max(10_000).optional() }).strict(),
  ),
  /** The learning curve's random control: same label counts, seeded random photos. */
  'queue.control': jobMethod('label-control')(z.object({ modelId, seed }).strict()),

  /**
   * Ranks labelled photos of the model's cities by how strongly out-of-fold heads (k folds on
   * cached features) disagree with their label, confident-learning style.
   */
  'suspects.start': jobMethod('suspects')(
    z
      .object({
        modelId,
        folds: z.number().int().min(2).max(20).default(5),
        seed,
      })
      .strict(),
  ),
};
