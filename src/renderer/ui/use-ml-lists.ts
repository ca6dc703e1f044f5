import { useRevisionKey } from '../app/library-state';
import { useStudio } from '../app/studio-context';
import { useLoad } from '../app/use-load';
import { publishBackend } from './backend-store';

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

/** Starts the ML host when it is not running; the answer also feeds the status bar's backend. */
export function useMlInfo() {
  const { client } = useStudio();
  return useLoad(async () => {
    const info = await client.call('ml.info', {});
    publishBackend(info.backend);
    return info;
  }, 'ml-info');
}
