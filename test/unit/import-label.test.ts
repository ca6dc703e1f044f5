// Which city a newly imported photo is labeled with: folder/manifest city first, then the photo's
// EXIF position ('gps'), then a manifest position ('csv'); nothing outside every city's area.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { City } from '../../src/shared/contract/library-types';
import { labelPhoto } from '../../src/main/core/import/import-label';
import type { Candidate } from '../../src/main/core/import/scan';

const CITIES: City[] = [
  { id: 1, name: 'Paris', country: 'France', lat: 48.8566, lon: 2.3522, radiusKm: 30 },
  { id: 2, name: 'London', country: 'United Kingdom', lat: 51.5074, lon: -0.1278, radiusKm: 30 },
];
const candidate = (over: Partial<Candidate>): Candidate => ({
  path: '/photos/a.jpg',
  explicit: false,
  label: null,
  position: null,
  source: 'file',
  ...over,
});
const NO_GPS = { takenAt: null, lat: null, lon: null };
const IN_LONDON = { takenAt: null, lat: 51.51, lon: -0.12 };

void describe('labelPhoto', () => {
  void it('a folder or manifest city wins over the position; an unknown name labels nothing', () => {
    assert.deepEqual(
      labelPhoto(candidate({ label: { city: 'Paris', source: 'folder' } }), IN_LONDON, CITIES),
      { position: { lat: 51.51, lon: -0.12 }, cityId: 1, labelSource: 'folder' },
    );
    assert.deepEqual(
      labelPhoto(candidate({ label: { city: 'Atlantis', source: 'csv' } }), NO_GPS, CITIES),
      { position: null, cityId: null, labelSource: null },
    );
  });

  void it("the camera's GPS labels 'gps', a manifest position 'csv', and the GPS wins", () => {
    const manifestParis = candidate({ position: { lat: 48.86, lon: 2.35 } });
    assert.deepEqual(labelPhoto(candidate({}), IN_LONDON, CITIES), {
      position: { lat: 51.51, lon: -0.12 },
      cityId: 2,
      labelSource: 'gps',
    });
    assert.deepEqual(labelPhoto(manifestParis, NO_GPS, CITIES), {
      position: { lat: 48.86, lon: 2.35 },
      cityId: 1,
      labelSource: 'csv',
    });
    assert.equal(labelPhoto(manifestParis, IN_LONDON, CITIES).cityId, 2);
  });

  void it('a position outside every city keeps the position and no label', () => {
    assert.deepEqual(labelPhoto(candidate({}), { takenAt: null, lat: 0, lon: 0 }, CITIES), {
      position: { lat: 0, lon: 0 },
      cityId: null,
      labelSource: null,
    });
  });
});
