import { catalogue, errorCodes } from './catalogue.ts';

const ORIGINS: Record<string, string> = {
  REQ: 'Request',
  TRM: 'Terminal identity',
  PAY: 'Platform payment rules',
  CHN: 'Payment channel',
  OPS: 'Operator API',
  SYS: 'Infrastructure',
};

const cell = (s: string) => s.replaceAll('|', '\\|');

/** Renders docs/errors.md from the catalogue. Pure, so a test can compare it with the file. */
export function renderErrorsMarkdown(): string {
  const lines: string[] = [
    '<!-- Generated from packages/errors/src/catalogue.ts by `npm run docs:errors`. Do not edit by hand. -->',
    '# Error codes',
    '',
    'Every refusal carries a stable `code`, the HTTP status, whether the same request may be retried',
    '(with the same `Idempotency-Key`), the diagnosis `cause` it points to, and a message and remedy in',
    'Chinese and English. The response body is `application/problem+json`:',
    '`{ type, title, status, code, cause, retryable, message: {zh, en}, remedy: {zh, en}, detail?, param?, requestId }`.',
    '',
  ];
  for (const [prefix, heading] of Object.entries(ORIGINS)) {
    const codes = errorCodes.filter((c) => c.startsWith(`${prefix}_`));
    lines.push(`## ${heading} (\`${prefix}_\`)`, '');
    lines.push('| code | HTTP | retry | cause | message (zh / en) | remedy (zh / en) |');
    lines.push('|---|---|---|---|---|---|');
    for (const code of codes) {
      const d = catalogue[code];
      lines.push(
        `| <a id="${code.toLowerCase()}"></a>\`${code}\` | ${d.status} | ${d.retryable ? 'yes' : 'no'} | \`${d.cause}\` | ` +
          `${cell(d.message.zh)}<br>${cell(d.message.en)} | ${cell(d.remedy.zh)}<br>${cell(d.remedy.en)} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}
