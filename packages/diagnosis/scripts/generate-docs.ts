// Writes docs/diagnosis.md from the cause catalogue. Run: npm run docs:diagnosis
import { writeFileSync } from 'node:fs';
import { renderDiagnosisMarkdown } from '../src/docs.ts';

const target = new URL('../../../docs/diagnosis.md', import.meta.url);
writeFileSync(target, renderDiagnosisMarkdown());
console.log(`wrote ${target.pathname}`);
