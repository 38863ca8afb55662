export { catalogue, errorCodes, isErrorCode } from './catalogue.ts';
export type { ErrorCode, ErrorDefinition, Text } from './catalogue.ts';
export { AppError, isAppError, problemFor } from './app-error.ts';
export type { Problem } from './app-error.ts';
export { renderErrorsMarkdown } from './docs.ts';
