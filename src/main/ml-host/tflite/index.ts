export {
  SUPPORTED_OPS,
  tfliteToLayersModel,
  type Normalisation,
  type TfliteConversion,
} from './builder';
export { dequantize } from './dequantize';
export { parseTflite, type TfliteModel, type TfliteOperator, type TfliteTensor } from './schema';
