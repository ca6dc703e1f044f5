import '../../ui/ml.css';
import { BackbonesCard } from './BackbonesCard';
import { BackendCard } from './BackendCard';
import { TrainedModelsCard } from './TrainedModelsCard';

/** The ML side of the library: compute backend, backbones, trained models. */
export function ModelsView() {
  return (
    <section className="view ml-view" aria-labelledby="models-view-title">
      <header className="view-header">
        <h1 id="models-view-title">Models</h1>
        <p className="muted">
          Backbones are the pretrained networks; trained models add a city classifier on top.
        </p>
      </header>
      <BackendCard />
      <BackbonesCard />
      <TrainedModelsCard />
    </section>
  );
}
