/**
 * Result shapes of the labeling queues (issue #15): "label next" (active learning over the cached
 * features) and "probably mislabelled" (confident learning on out-of-fold heads). Plain JSON.
 */

/**
 * How the label-next queue orders unlabelled photos. margin / entropy: the current head's
 * uncertainty; diverse: k-center greedy over the cached features (spread, not doubt); hybrid: the
 * most uncertain few, spread by k-center; random: the control, seeded.
 */
export const LABEL_STRATEGIES = ['margin', 'entropy', 'diverse', 'hybrid', 'random'] as const;
export type LabelStrategy = (typeof LABEL_STRATEGIES)[number];

export const LABEL_QUEUES = ['next', 'suspects'] as const;
export type LabelQueue = (typeof LABEL_QUEUES)[number];

/**
 * What a person did with a queue's photo. label-next: label (a city), skip, exclude ("not a
 * street photo / none of these"); suspects: keep the label, change it (a city), exclude.
 * Exclusion is its own flag, apart from the label: the photo leaves training (and the queues)
 * whatever its label says.
 */
export const QUEUE_ACTIONS = ['label', 'skip', 'exclude', 'keep', 'change'] as const;
export type QueueAction = (typeof QUEUE_ACTIONS)[number];

export const ACTIONS_OF_QUEUE: Record<LabelQueue, readonly QueueAction[]> = {
  next: ['label', 'skip', 'exclude'],
  suspects: ['keep', 'change', 'exclude'],
};

export type CityGuess = { city: string; probability: number };

/** One photo of the label-next queue. `score`: see LabelStrategy (larger = ask sooner). */
export type SuggestItem = { imageId: number; path: string; score: number };

export type QueueItem = SuggestItem & {
  /** The current head's top cities, most likely first. */
  top: CityGuess[];
};

export type SuggestResult = {
  modelId: string;
  strategy: LabelStrategy;
  seed: number;
  /** Which head ranked: the model's own, or the one retrained on this session's labels. */
  head: 'model' | 'session';
  /** Most useful first. */
  items: QueueItem[];
  /** Photos without a human label that could be ranked. */
  candidates: number;
  /** Photos left out because their features could not be computed. */
  uncached: number;
};

export type SuspectItem = {
  imageId: number;
  path: string;
  /** The photo's current label. */
  label: string;
  /** The city the out-of-fold head believes. */
  suggested: string;
  /** p(suggested) − p(label), out of fold; larger = more suspect. */
  score: number;
  labelProbability: number;
  top: CityGuess[];
};

export type CitySuspects = { city: string; labelled: number; suspect: number };

export type SuspectsResult = {
  modelId: string;
  folds: number;
  /** Most suspect first. Photos a person already kept with this label are left out. */
  items: SuspectItem[];
  perCity: CitySuspects[];
  /** Labelled photos that were judged (with features, of the model's cities, not excluded). */
  judged: number;
};

/** One point of the live learning curve: the retrained head's validation accuracy. */
export type CurvePoint = {
  /** Training labels the head learned from. */
  labels: number;
  /** Share of labelled validation photos right; null without validation photos. */
  valAccuracy: number | null;
  valCount: number;
  at: string;
};

export type LabelingStatus = {
  modelId: string;
  /** The head retrains after this many new labels (a library setting). */
  retrainEvery: number;
  /** Labels given through the queues, all time. */
  queueLabels: number;
  /** Labels since the head last retrained (the next retrain starts at retrainEvery). */
  sinceRetrain: number;
  retraining: boolean;
  /** Bumped each time a retrained head is ready: the queue re-ranks when it changes. */
  headVersion: number;
  curve: CurvePoint[];
  excluded: number;
};

export type QueueEvent = {
  id: number;
  queue: LabelQueue;
  imageId: number;
  action: QueueAction;
  /** The label after the action (label / change), else null. */
  city: string | null;
};

export type QueueAnswer = { event: QueueEvent; status: LabelingStatus };

export type QueueUndo = { undone: QueueEvent | null; status: LabelingStatus };

/** The random control: heads trained on seeded random subsets of the same sizes as the curve's. */
export type ControlCurve = {
  modelId: string;
  seed: number;
  points: { labels: number; valAccuracy: number | null; valCount: number }[];
};

/** Results of the labeling jobs, merged into JobResults. */
export type LabelJobResults = {
  'label-rank': SuggestResult;
  'label-train': CurvePoint;
  'label-control': ControlCurve;
  suspects: SuspectsResult;
};
