/** Safe inspection of uploaded images (type, size, structure) before any decoder sees them. */
export {
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_PIXELS,
  inspectImage,
  type ImageType,
  type InspectFailure,
  type InspectLimits,
  type InspectResult,
} from './inspect.ts';
