import { PAPER_ACCURACY, PAPER_HUMAN_ACCURACY, pct } from '../ml/format';

/**
 * Overall figures to read per-city accuracy against. Only the paper's two overall numbers (its
 * model and its human guessers, both over 10 cities) and this set's chance level: the paper's
 * per-city numbers belong to its cities and data, not to a user's own library.
 */
export type ReferenceLine = {
  id: 'paper' | 'humans' | 'chance';
  label: string;
  value: number;
  color: string;
  dash: 'dash' | 'dot';
};

export function referenceLines(classCount: number): ReferenceLine[] {
  const chance = classCount > 0 ? 1 / classCount : 0;
  return [
    {
      id: 'paper',
      label: `paper model ${pct(PAPER_ACCURACY)}`,
      value: PAPER_ACCURACY,
      color: '#e0a030',
      dash: 'dash',
    },
    {
      id: 'humans',
      label: `paper humans ${pct(PAPER_HUMAN_ACCURACY)}`,
      value: PAPER_HUMAN_ACCURACY,
      color: '#8e5cc7',
      dash: 'dash',
    },
    {
      id: 'chance',
      label: `chance 1/${classCount} = ${pct(chance)}`,
      value: chance,
      color: '#667085',
      dash: 'dot',
    },
  ];
}
