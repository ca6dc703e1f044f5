// Locates the read-only ../shared folder (pretrained backbone, sanity photos) beside the repository.
// It is not part of the project: tests that need it call t.skip(SHARED_MISSING) when it is absent
// (in CI its absence throws instead: see ci.ts).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { skipOutsideCi } from './ci';

const REPO_ROOT = resolve(__dirname, '..', '..');

export const SHARED_MISSING =
  '../shared is absent (pretrained MobileNetV2 and sanity photos live outside the repository)';

export type SharedFixtures = {
  root: string;
  /** MobileNetV2 1.0 224 uint8 TFLite, sha256 MOBILENET_V2_SHA256 (from assets/, not ../shared). */
  mobilenetV2Tflite: string;
  /** 1001 lines: 'background', then the ImageNet classes. */
  imagenetLabels: string;
  /** cat_720p.jpg, hot_dog.jpg, parrot.jpg. */
  sanityDir: string;
};

export const MOBILENET_V2_SHA256 =
  '7aad0c74c5e3c06e5eb3c827e13304fdd68a83da6087d92ee169c24ff9fd4776';

/** The app's built-in backbone, vendored in assets/: present in every clone. */
export const BUNDLED_MOBILENET_V2 = join(REPO_ROOT, 'assets', 'mobilenet_v2_1.0_224_quant.tflite');

/** The shared fixtures, or null when ../shared (or one of its files) is missing; in CI it throws. */
export function sharedFixtures(): SharedFixtures | null {
  const root = process.env.LITTLEPLANET_SHARED ?? join(REPO_ROOT, '..', 'shared');
  const f: SharedFixtures = {
    root,
    mobilenetV2Tflite: BUNDLED_MOBILENET_V2,
    imagenetLabels: join(root, 'models', 'imagenet_labels.txt'),
    sanityDir: join(root, 'fixtures', 'sanity'),
  };
  const needed = [f.mobilenetV2Tflite, f.imagenetLabels, join(f.sanityDir, 'parrot.jpg')];
  if (needed.every((p) => existsSync(p))) return f;
  skipOutsideCi(SHARED_MISSING);
  return null;
}
