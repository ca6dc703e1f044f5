import { useRevisionKey } from '../../app/library-state';
import { useStudio } from '../../app/studio-context';
import { useLoad } from '../../app/use-load';

/** Trained models, reloaded whenever the library reports a model change. */
export function useModels() {
  const { client } = useStudio();
  const key = useRevisionKey('opened', 'models');
  return useLoad(() => client.call('models.list', {}), key);
}

export function useBackbones(extraKey = '') {
  const { client } = useStudio();
  const key = useRevisionKey('opened', 'models');
  return useLoad(() => client.call('backbones.list', {}), `${key}:${extraKey}`);
}

export function useMlInfo() {
  const { client } = useStudio();
  return useLoad(() => client.call('ml.info', {}), 'ml-info');
}
