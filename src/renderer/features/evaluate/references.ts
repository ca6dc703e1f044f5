import { paperCityAccuracy } from '../../../shared/domain/paper';
import { PAPER_ACCURACY, PAPER_HUMAN_ACCURACY, pct } from '../../ui/format';

/**
 * Overall figures to read per-city accuracy against, as lines: the paper's two overall numbers (its
 * model and its human guessers, both over 10 cities) and this set's chance level. The paper's
 * per-city numbers (Table 2) are a separate series of points over the cities it had
 * (`paperCitySeries`).
 */
export type ReferenceLine = {
  id: 'paper' | 'humans' | 'chance';
  label: string;
  value: number;
  color: string;
  dash: 'dash' | 'dot';
};

/** The paper's Table 2 accuracy for each of `classes` it had, in the chart's order. */
export function paperCitySeries(classes: readonly string[]): { city: string; value: number }[] {
  return classes.flatMap((city) => {
    const value = paperCityAccuracy(city);
    return value === null ? [] : [{ city, value }];
  });
}

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
