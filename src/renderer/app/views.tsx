import type { ReactNode } from 'react';
import { CitiesView } from '../features/cities/CitiesView';
import { EvaluateView } from '../features/evaluate/EvaluateView';
import { ImportView } from '../features/import/ImportView';
import { LibraryView } from '../features/library/LibraryView';
import { ModelsView } from '../features/models/ModelsView';
import { PredictView } from '../features/predict/PredictView';
import { SplitsView } from '../features/splits/SplitsView';
import { TrainView } from '../features/train/TrainView';

export type ViewSpec = {
  id: string;
  label: string;
  /** Sidebar section; later issues add 'Model' (Train, Evaluate, Explain) and 'Explore' (Map, Guess). */
  group: 'Data' | 'Model' | 'Explore';
  render: () => ReactNode;
};

/** Every view reachable from the sidebar, in order. A new feature adds one entry here. */
export const VIEWS: readonly ViewSpec[] = [
  { id: 'library', label: 'Library', group: 'Data', render: () => <LibraryView /> },
  { id: 'import', label: 'Import', group: 'Data', render: () => <ImportView /> },
  { id: 'cities', label: 'Cities', group: 'Data', render: () => <CitiesView /> },
  { id: 'splits', label: 'Splits & stats', group: 'Data', render: () => <SplitsView /> },
  { id: 'models', label: 'Models', group: 'Model', render: () => <ModelsView /> },
  { id: 'train', label: 'Train', group: 'Model', render: () => <TrainView /> },
  { id: 'evaluate', label: 'Evaluate', group: 'Model', render: () => <EvaluateView /> },
  { id: 'predict', label: 'Predict', group: 'Model', render: () => <PredictView /> },
];

export const OPEN_VIEW = 'open';
