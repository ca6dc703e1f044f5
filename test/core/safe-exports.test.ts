// Exports are safe to open (#14): every CSV writer defuses formula cells; names with control
// characters are refused at the contract; XMP sidecars stay well-formed for any stored text; two
// photos never share a sidecar; temp files a killed write left are cleaned up.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { sidecar } from 'exifr';
import { libraryMethods } from '../../src/shared/contract/library-methods';
import { studyMethods } from '../../src/shared/contract/study-methods';
import { writeManifest } from '../../src/main/core/collect/collect-files';
import { readCsvRows } from '../../src/main/core/csv/csv-text';
import { geolocationCsv } from '../../src/main/core/geolocate/exports';
import { removeLeftTemps } from '../../src/main/core/geolocate/left-temps';
import { sidecarXml, writeSidecar } from '../../src/main/core/geolocate/xmp-sidecar';

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'lp-safe-exports-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const FACTS = { city: 'Paris', country: 'France', lat: 48.8566, lon: 2.3522, confidence: 0.9 };

/** A pid that surely belongs to no running process: one that has just exited. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid ?? 0;

describe('safe exports', () => {
  it('geolocation CSV and collector manifests write formula cells inert', (t) => {
    const geo = geolocationCsv(
      [
        {
          path: '=HYPERLINK("http://evil.example","x").jpg',
          city: '@Paris',
          country: '+France',
          p: 0.5,
          lat: -33.8688,
          lon: 151.2093,
          review: 'none',
          forcedChoice: false,
        },
      ],
      '-model',
    );
    const row = geo.split('\n')[1] ?? '';
    assert.match(row, /^"'=HYPERLINK/);
    assert.ok(row.includes(",'@Paris,'+France,0.5,-33.8688,151.2093,'-model,none,false"), row);

    const dir = tempDir(t);
    const manifest = writeManifest(dir, 3, 'mapillary', 'CC BY-SA 4.0', [
      {
        city: 'Paris',
        file: 'Paris/1.jpg',
        item_id: '=1+2',
        item_lat: -48.1,
        item_lon: 2.3,
        captured_at: null,
        credit: '@creator',
      },
    ]);
    const text = readFileSync(manifest, 'utf8');
    assert.equal(
      text.split('\n')[1],
      "Paris/1.jpg,Paris,-48.1,2.3,mapillary,'=1+2,,'@creator,CC BY-SA 4.0",
    );
    // The import reads our own manifest back exactly as the values were.
    assert.deepEqual(readCsvRows(text)[1]?.cells.slice(5, 8), ['=1+2', '', '@creator']);
  });

  it('city, country and participant names with control characters are refused', () => {
    const add = libraryMethods['cities.add'].params;
    assert.ok(add.safeParse({ name: 'Arezzo', country: 'Italy', lat: 1, lon: 2 }).success);
    for (const bad of ['Are\u0000zzo', 'Arezzo\n=1', 'A\u001b[31m', 'A\u0085', 'A\u2028B']) {
      assert.equal(
        add.safeParse({ name: bad, lat: 1, lon: 2 }).success,
        false,
        JSON.stringify(bad),
      );
      assert.equal(
        add.safeParse({ name: 'Arezzo', country: bad, lat: 1, lon: 2 }).success,
        false,
        JSON.stringify(bad),
      );
    }
    const join = studyMethods['participant.join'].params;
    assert.equal(join.safeParse({ studyId: 1, participantId: 'P\u00001' }).success, false);
    const answer = studyMethods['round.answer'].params;
    assert.equal(
      answer.safeParse({ studyId: 1, participantId: 'P1', imageId: 1, guess: 'Par\u0007is' })
        .success,
      false,
    );
  });

  it('control characters never reach the XMP; the sidecar stays well-formed', async (t) => {
    const hostile = 'Pa\u0000r\u0007is\u001b[31m\u0085\ud800 <&"\'>\n';
    const xml = sidecarXml({ ...FACTS, city: hostile, country: hostile, modelId: hostile });
    // Only line ends between elements; nothing XML 1.0 forbids, no unpaired surrogate.
    assert.doesNotMatch(xml.replace(/\n/g, ''), /[\p{Cc}\ufffe\uffff\ud800-\udfff]/u);
    assert.ok(xml.includes('photoshop:City="Pa r is [31m   &lt;&amp;&quot;&apos;&gt; "'), xml);
    const dir = tempDir(t);
    writeFileSync(join(dir, 'x.jpg'), 'not read');
    const out = writeSidecar(join(dir, 'x.jpg'), { ...FACTS, city: hostile, modelId: 'm1' });
    const read = (await sidecar(out.path)) as { photoshop?: { City?: string } };
    // exifr reads the attribute (it leaves entities as written).
    assert.equal(read.photoshop?.City, 'Pa r is [31m   &lt;&amp;&quot;&apos;&gt;');
  });

  it('two photos never share a sidecar: a.jpg + a.JPEG, IMG_1.HEIC + IMG_1.JPG', (t) => {
    const dir = tempDir(t);
    for (const name of ['a.jpg', 'a.JPEG', 'IMG_1.HEIC', 'IMG_1.JPG', 'b.jpg', 'b.txt']) {
      writeFileSync(join(dir, name), name);
    }
    const photos = ['a.jpg', 'a.JPEG', 'IMG_1.HEIC', 'IMG_1.JPG', 'b.jpg'];
    const written = photos.map((name) =>
      writeSidecar(join(dir, name), { ...FACTS, city: name, modelId: 'm1' }),
    );
    assert.deepEqual(
      written.map((w) => [w.written, w.path.slice(dir.length + 1)]),
      [
        [true, 'a.jpg.xmp'],
        [true, 'a.JPEG.xmp'],
        [true, 'IMG_1.HEIC.xmp'],
        [true, 'IMG_1.JPG.xmp'],
        [true, 'b.xmp'],
      ],
    );
    // Each sidecar holds its own photo's facts: none overwrote another.
    written.forEach((w, i) => {
      assert.ok(readFileSync(w.path, 'utf8').includes(`photoshop:City="${photos[i]}"`), w.path);
    });
  });

  it('a temp file a killed write left is removed by the next write; nobody else’s is', (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'a.jpg'), 'photo');
    const dead = deadPid();
    const left = [`a.xmp.${dead}-0badf00d.tmp`, `.a.jpg.${dead}-deadbeef.tmp`];
    const kept = [`a.xmp.${process.pid}-12345678.tmp`, 'a.xmp.tmp', `b.xmp.${dead}-0badf00d.tmp`];
    for (const name of [...left, ...kept]) writeFileSync(join(dir, name), 'half');
    writeSidecar(join(dir, 'a.jpg'), { ...FACTS, modelId: 'm1' });
    assert.deepEqual(removeLeftTemps(join(dir, 'a.jpg')), [join(dir, left[1] ?? '')]);
    assert.deepEqual(readdirSync(dir).sort(), ['a.jpg', 'a.xmp', ...kept].sort());
  });
});
