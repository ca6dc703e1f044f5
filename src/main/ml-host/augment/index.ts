export {
  applyCrops,
  augmentViews,
  centerBox,
  centerCrop,
  mirror,
  multiCropBoxes,
  randomBox,
  ttaProbabilities,
  viewBoxes,
  type CropBox,
} from './crops';
