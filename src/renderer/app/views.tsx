import type { ReactNode } from 'react';
import { CitiesView } from '../features/cities/CitiesView';
import { CollectView } from '../features/collect/CollectView';
import { EvaluateView } from '../features/evaluate/EvaluateView';
import { ExplainView } from '../features/explain/ExplainView';
import { GeolocateView } from '../features/geolocate/GeolocateView';
import { GuessView } from '../features/guess/GuessView';
import { ImportView } from '../features/import/ImportView';
import { LabelingView } from '../features/labeling/LabelingView';
import { LibraryView } from '../features/library/LibraryView';
import { MapView } from '../features/map/MapView';
import { ModelsView } from '../features/models/ModelsView';
import { PredictView } from '../features/predict/PredictView';
import { SplitsView } from '../features/splits/SplitsView';
import { TrainView } from '../features/train/TrainView';

export type ViewSpec = {
  id: string;
  label: string;
  /** Sidebar section: the photos, the models made from them, and ways to look at both. */
  group: 'Data' | 'Model' | 'Explore';
  render: () => ReactNode;
};

/** Every view reachable from the sidebar, in order. A new feature adds one entry here. */
export const VIEWS: readonly ViewSpec[] = [
  { id: 'library', label: 'Library', group: 'Data', render: () => <LibraryView /> },
  { id: 'import', label: 'Import', group: 'Data', render: () => <ImportView /> },
  { id: 'cities', label: 'Cities', group: 'Data', render: () => <CitiesView /> },
  { id: 'splits', label: 'Splits & stats', group: 'Data', render: () => <SplitsView /> },
  { id: 'collect', label: 'Collect', group: 'Data', render: () => <CollectView /> },
  { id: 'models', label: 'Models', group: 'Model', render: () => <ModelsView /> },
  { id: 'train', label: 'Train', group: 'Model', render: () => <TrainView /> },
  { id: 'evaluate', label: 'Evaluate', group: 'Model', render: () => <EvaluateView /> },
  { id: 'predict', label: 'Predict', group: 'Model', render: () => <PredictView /> },
  { id: 'explain', label: 'Explain', group: 'Model', render: () => <ExplainView /> },
  { id: 'geolocate', label: 'Geolocate', group: 'Explore', render: () => <GeolocateView /> },
  { id: 'map', label: 'Map', group: 'Explore', render: () => <MapView /> },
  { id: 'guess', label: 'Guess', group: 'Explore', render: () => <GuessView /> },
  // Listed last so the menu's Ctrl+digit keys stay put; the sidebar shows it under Data.
  { id: 'label', label: 'Label', group: 'Data', render: () => <LabelingView /> },
];

export const OPEN_VIEW = 'open';
