/**
 * Checks that imports point one way (docs/architecture.md):
 * - a package uses only packages listed above it in LAYERS;
 * - simulators import no @scanpay code at all (a simulator sharing the adapter's code would share its bugs);
 * - apps may use packages; only the CLI (the composition root) may use other apps and simulators;
 * - nothing reaches into another workspace by a relative path or past its `exports` map.
 * Test files may also import simulators (they drive the real protocol against them) and the
 * benchmarks' generators of synthetic inputs.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');

const LAYERS = ['money', 'errors', 'contracts', 'paycode', 'channels', 'diagnosis', 'terminal-sdk'];

interface Workspace {
  dir: string;
  name: string;
  kind: 'package' | 'simulator' | 'app' | 'other';
  exports: string[];
}

function workspaces(): Workspace[] {
  const out: Workspace[] = [];
  for (const group of ['packages', 'simulators', 'apps', 'bench', 'e2e']) {
    const base = join(ROOT, group);
    const dirs = group === 'bench' || group === 'e2e' ? [base] : safeList(base).map((d) => join(base, d));
    for (const dir of dirs) {
      const pkgFile = join(dir, 'package.json');
      if (!exists(pkgFile)) continue;
      const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { name: string; exports?: Record<string, string> };
      const kind = group === 'packages' ? 'package' : group === 'simulators' ? 'simulator' : group === 'apps' ? 'app' : 'other';
      out.push({ dir, name: pkg.name, kind, exports: Object.keys(pkg.exports ?? {}) });
    }
  }
  return out;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function exists(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of safeList(dir)) {
    if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.')) continue;
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) yield* sourceFiles(full);
    else if (/\.(ts|tsx)$/.test(entry) && !entry.endsWith('.d.ts')) yield full;
  }
}

const IMPORT = /(?:^|[^.\w])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;

/** Test code: test files, test folders, and the helpers that only tests import. */
function isTestCode(file: string): boolean {
  if (/\.test\.tsx?$/.test(file) || /(^|[\\/])(test-support|testing)\.ts$/.test(file)) return true;
  return ['test', 'tests', '__tests__', 'conformance'].some((dir) => file.includes(`${sep}${dir}${sep}`));
}

function layerOf(ws: Workspace): number {
  return LAYERS.indexOf(ws.name.replace('@scanpay/', ''));
}

export function check(): string[] {
  const all = workspaces();
  const byName = new Map(all.map((w) => [w.name, w]));
  const problems: string[] = [];
  for (const ws of all) {
    for (const file of sourceFiles(ws.dir)) {
      const isTest = isTestCode(file);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(IMPORT)) {
        const spec = m[1] ?? m[2] ?? m[3];
        if (!spec) continue;
        const where = `${relative(ROOT, file)}: '${spec}'`;
        if (spec.startsWith('.')) {
          const target = resolve(file, '..', spec);
          // Tests may use the benchmarks' generators of synthetic inputs as fixtures.
          const benchFixture = isTest && target.startsWith(join(ROOT, 'bench') + sep);
          if (!target.startsWith(ws.dir + sep) && !benchFixture) problems.push(`${where} leaves its workspace; import the package instead`);
          continue;
        }
        if (!spec.startsWith('@scanpay/')) continue;
        const [scope, name, ...rest] = spec.split('/');
        const target = byName.get(`${scope}/${name}`);
        if (!target) {
          problems.push(`${where} names no workspace`);
          continue;
        }
        const subpath = rest.length ? `./${rest.join('/')}` : '.';
        if (!target.exports.includes(subpath)) problems.push(`${where} is not in ${target.name}'s exports`);
        if (target === ws) continue;
        if (ws.kind === 'simulator') {
          problems.push(`${where}: a simulator speaks the protocol from its own code and imports no @scanpay package`);
        } else if (ws.kind === 'package') {
          if (target.kind === 'simulator' && isTest) continue;
          if (target.kind !== 'package' || layerOf(target) >= layerOf(ws)) {
            problems.push(`${where}: ${ws.name} may only use packages above it (${LAYERS.slice(0, Math.max(0, layerOf(ws))).join(', ') || 'none'})`);
          }
        } else if (ws.kind === 'app') {
          const composes = ws.name === '@scanpay/cli';
          if (target.kind === 'app' && !composes) problems.push(`${where}: apps do not import each other (only the CLI composes them)`);
          if (target.kind === 'simulator' && !composes && !isTest) problems.push(`${where}: only the CLI and tests start simulators`);
        }
      }
    }
  }
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problems = check();
  if (problems.length) {
    console.error(`import boundaries: ${problems.length} problem(s)`);
    for (const p of problems) console.error(`  ${p}`);
    process.exit(1);
  }
  console.log('import boundaries: ok');
}
