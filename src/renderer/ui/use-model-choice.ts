import { useState } from 'react';
import type { ModelSummary } from '../../shared/contract/ml-types';
import type { Load } from '../app/use-load';
import { pickedModelId } from './model-pick';
import { useModels } from './use-ml-lists';

export type ModelChoice = {
  models: Load<ModelSummary[]>;
  list: ModelSummary[];
  /** The shown model's id, '' while there is none. */
  modelId: string;
  model: ModelSummary | null;
  pick: (modelId: string) => void;
};

/** The library's models and the one a form works with (see `pickedModelId`). */
export function useModelChoice(initial: () => string | null = () => null): ModelChoice {
  const models = useModels();
  const list = models.value ?? [];
  const [picked, setPicked] = useState<string | null>(initial);
  const modelId = pickedModelId(list, picked);
  return {
    models,
    list,
    modelId,
    model: list.find((m) => m.id === modelId) ?? null,
    pick: setPicked,
  };
}
