#!/usr/bin/env node
// Entry point of the `scanpay` command: loads the TypeScript sources through tsx,
// so there is no build step between `npm install` and `npm start`.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
