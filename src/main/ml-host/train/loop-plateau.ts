// What an epoch's monitored accuracy does to the loop state: a new best resets the stall counts;
// otherwise the learning rate drops after lrPatience epochs without gain and the run stops early
// after earlyStopPatience. Plain numbers, no tensors.
import type { TrainHyperParams } from '../../../shared/contract/ml-types';
import type { LoopState } from './checkpoint';

export type PlateauHyper = Pick<
  TrainHyperParams,
  'epochs' | 'lrPatience' | 'lrDropFactor' | 'earlyStopPatience'
>;

export type EpochJudgement = {
  state: LoopState;
  /** This epoch is the best so far (its weights are the ones to keep). */
  improved: boolean;
  /** What changed, for the run's log. */
  messages: string[];
};

/** `state` has this epoch counted (state.epoch is the epoch just finished); `score` is monitored. */
export function judgeEpoch(state: LoopState, score: number, hyper: PlateauHyper): EpochJudgement {
  const next: LoopState = { ...state };
  const messages: string[] = [];
  const improved = state.bestAccuracy === null || score > state.bestAccuracy;
  if (improved) {
    next.bestAccuracy = score;
    next.bestEpoch = state.epoch;
    next.stallLr = 0;
    next.stallStop = 0;
  } else {
    next.stallLr += 1;
    next.stallStop += 1;
    if (next.stallLr >= hyper.lrPatience) {
      next.learningRate = state.learningRate * hyper.lrDropFactor;
      next.stallLr = 0;
      messages.push(
        `No gain for ${hyper.lrPatience} epochs: learning rate -> ${next.learningRate.toPrecision(3)}.`,
      );
    }
    if (hyper.earlyStopPatience !== null && next.stallStop >= hyper.earlyStopPatience) {
      next.finished = 'earlyStopped';
      messages.push(`Stopped early after epoch ${state.epoch} (best epoch ${next.bestEpoch}).`);
    }
  }
  if (next.finished === null && state.epoch >= hyper.epochs) next.finished = 'completed';
  return { state: next, improved, messages };
}
