// Writes docs/errors.md from the catalogue. Run: npm run docs:errors
import { writeFileSync } from 'node:fs';
import { renderErrorsMarkdown } from '../src/docs.ts';

const target = new URL('../../../docs/errors.md', import.meta.url);
writeFileSync(target, renderErrorsMarkdown());
console.log(`wrote ${target.pathname}`);
