export type * from './evidence.ts';
export { categories, describePattern, on, t } from './cause.ts';
export type {
  Audience,
  AutoFixId,
  Category,
  CategoryPrefix,
  Cause,
  Condition,
  EvidencePattern,
  Text,
  Where,
} from './cause.ts';
export { causeById, causeIds, causes, isCauseId } from './causes/index.ts';
export { factsOf, sourceOf, sources, MIN_FRAMES_FOR_RATIOS } from './facts.ts';
export type { FactsBySource, Source } from './facts.ts';
export {
  diagnose,
  CATALOGUE_CODE_WEIGHT,
  CODE_UNDER_REPORTED_CAUSE_WEIGHT,
  DEFAULT_MIN_CONFIDENCE,
  REPORTED_CAUSE_WEIGHT,
} from './engine.ts';
export type { DiagnoseOptions, Diagnosis, EvidenceMatch, RankedCause } from './engine.ts';
export { autoFixLabels, describeEvidence, formatDiagnosis } from './format.ts';
export type { FormatOptions, Lang } from './format.ts';
export { renderDiagnosisMarkdown } from './docs.ts';
export { compareVersions } from './version.ts';
export { transportFailureOf } from './transport.ts';
