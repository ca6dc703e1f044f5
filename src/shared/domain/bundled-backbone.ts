// The backbone that ships with the app (assets/), so a fresh install trains offline with no import
// or download step. The ML host imports it into a library the first time it is used by name.

export const BUNDLED_BACKBONE = {
  /** Its name in every library (the default of features.start and train.start). */
  name: 'mobilenet_v2_1.0_224',
  /** File name under assets/ (and under the packaged app's resources). */
  file: 'mobilenet_v2_1.0_224_quant.tflite',
  sha256: '7aad0c74c5e3c06e5eb3c827e13304fdd68a83da6087d92ee169c24ff9fd4776',
  title: 'MobileNetV2 1.0, 224×224, ImageNet (built in)',
} as const;
