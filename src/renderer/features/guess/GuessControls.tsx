import { Slider } from '../../ui/Slider';
import { CityButtons } from './CityButtons';

/** Beside the photo while guessing: the cities, an optional confidence, and Commit. */
export function GuessControls(props: {
  cities: string[];
  selected: number | null;
  onSelect: (index: number) => void;
  confidence: number | null;
  onConfidence: (confidence: number) => void;
  /** The time limit passed without a commit. */
  late: boolean;
  /** Commit waits for a city and for the photo to have loaded (the response time starts then). */
  canCommit: boolean;
  busy: boolean;
  onCommit: () => void;
}) {
  return (
    <>
      <p className="muted small">Pick the city: click or press its number, then Enter to commit.</p>
      <CityButtons
        cities={props.cities}
        selected={props.selected}
        disabled={props.busy}
        onSelect={props.onSelect}
      />
      <Slider
        className="guess-confidence"
        label={
          <>
            Confidence (optional, ↑/↓):{' '}
            <strong data-testid="play-confidence">
              {props.confidence === null ? 'not set' : `${Math.round(props.confidence * 100)}%`}
            </strong>
          </>
        }
        min={0}
        max={1}
        step={0.1}
        value={props.confidence ?? 0.5}
        onChange={props.onConfidence}
      />
      {props.late && (
        <p className="form-error" role="alert" data-testid="play-late">
          Time is up. Pick a city to go on; this guess is recorded as late.
        </p>
      )}
      <button
        type="button"
        className="primary"
        disabled={!props.canCommit || props.busy}
        onClick={props.onCommit}
        data-testid="round-commit"
        aria-keyshortcuts="Enter"
      >
        Commit guess <kbd>Enter</kbd>
      </button>
    </>
  );
}
