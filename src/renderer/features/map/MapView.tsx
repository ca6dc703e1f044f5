import { PlannedView } from '../../app/PlannedView';

/** Placeholder until a later issue adds the offline map. */
export function MapView() {
  return (
    <PlannedView
      id="map"
      title="Map"
      actions={[
        { label: 'Open the Library', view: 'library' },
        { label: 'Edit cities', view: 'cities' },
      ]}
    >
      <p>
        Map will place geotagged photos and the model&apos;s predictions on an offline map, with
        each city&apos;s centre and radius. Meanwhile the Library&apos;s detail pane shows a
        photo&apos;s GPS position.
      </p>
    </PlannedView>
  );
}
