import { cityKeyLabel } from './keys';

/** The study's cities as buttons, each with its number key. */
export function CityButtons(props: {
  cities: string[];
  selected: number | null;
  disabled: boolean;
  onSelect: (index: number) => void;
}) {
  return (
    <div className="guess-cities-pick" role="group" aria-label="Your guess">
      {props.cities.map((city, i) => {
        const key = cityKeyLabel(i);
        return (
          <button
            key={city}
            type="button"
            className={`guess-city${props.selected === i ? ' guess-city-on' : ''}`}
            aria-pressed={props.selected === i}
            aria-keyshortcuts={key ?? undefined}
            disabled={props.disabled}
            onClick={() => props.onSelect(i)}
            data-testid="city-button"
            data-city={city}
          >
            {key !== null && <kbd>{key}</kbd>} {city}
          </button>
        );
      })}
    </div>
  );
}
