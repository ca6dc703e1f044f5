// Shared by the explanation tests on the real MobileNetV2: the backbone (with its ImageNet labels)
// imported into a temp folder, and a grey 224 image with the sanity parrot in one quadrant, as
// normalised network input.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { importBackbone, loadBackbone, type LayersBackbone } from '../../src/main/ml-host/backbone';
import type { NetworkImage } from '../../src/main/ml-host/explain/occlusion';
import type { SharedFixtures } from '../helpers/shared-fixtures';

export type ExplainFixture = { backbone: LayersBackbone; macaw: number; dispose(): Promise<void> };

export async function loadMobileNet(shared: SharedFixtures): Promise<ExplainFixture> {
  const root = await mkdtemp(join(tmpdir(), 'lp-explain-'));
  const labels = (await readFile(shared.imagenetLabels, 'utf8')).trimEnd().split('\n');
  await importBackbone({ source: shared.mobilenetV2Tflite, name: 'mnv2', root, labels });
  const backbone = await loadBackbone(root, 'mnv2');
  if (backbone.kind !== 'layers') throw new Error('expected a layers backbone');
  return {
    backbone,
    macaw: labels.indexOf('macaw'),
    dispose: async () => {
      backbone.dispose();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Mid-grey 224x224 with the parrot photo (112x112) at (left, top), normalised for `backbone`. */
export async function parrotOnGrey(
  shared: SharedFixtures,
  backbone: LayersBackbone,
  at: { left: number; top: number },
): Promise<NetworkImage> {
  const parrot = await sharp(join(shared.sanityDir, 'parrot.jpg'))
    .resize(112, 112, { fit: 'cover' })
    .removeAlpha()
    .raw()
    .toBuffer();
  const canvas = await sharp({
    create: { width: 224, height: 224, channels: 3, background: { r: 128, g: 128, b: 128 } },
  })
    .composite([{ input: parrot, raw: { width: 112, height: 112, channels: 3 }, ...at }])
    .removeAlpha()
    .raw()
    .toBuffer();
  const { scale, offset } = backbone.meta.normalisation;
  return { data: Float32Array.from(canvas, (p) => p * scale + offset), size: 224 };
}
