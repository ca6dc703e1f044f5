/**
 * `npm run bench [-- section ...]`: runs benchmark sections, prints their tables and writes them to
 * docs/benchmarks.md. Running some sections replaces only those in the file and keeps the others.
 * A section is a function `() => Promise<BenchSection>` (conventionally a module's `run`), loaded
 * lazily; words that name no section are passed to the one section named (`ml-cities DIR`);
 * add new ones to SECTIONS, e.g. `{ name: 'train', load: async () => (await import('./ml.bench.js')).run }`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { BenchSection, BenchTable } from './types';

/** A section's run function; `args` are the command line's words that name no section. */
type SectionRun = (args: readonly string[]) => Promise<BenchSection>;
type SectionEntry = { name: string; load: () => Promise<SectionRun> };

const SECTIONS: SectionEntry[] = [
  { name: 'import', load: async () => (await import('./library.bench.js')).runImportBench },
  { name: 'list', load: async () => (await import('./library.bench.js')).runListBench },
  { name: 'ml-extract', load: async () => (await import('./ml.bench.js')).runExtractBench },
  { name: 'ml-train', load: async () => (await import('./ml.bench.js')).runTrainBench },
  { name: 'ml-cities', load: async () => (await import('./ml-cities.bench.js')).runCitiesBench },
  { name: 'ml-stage2', load: async () => (await import('./stage2.bench.js')).runStage2Bench },
  { name: 'explain', load: async () => (await import('./explain.bench.js')).runExplainBench },
  { name: 'tsne', load: async () => (await import('./tsne.bench.js')).runTsneBench },
  { name: 'geolocate', load: async () => (await import('./geolocate.bench.js')).runGeolocateBench },
  { name: 'openset', load: async () => (await import('./openset.bench.js')).runOpenSetBench },
  { name: 'labeling', load: async () => (await import('./labeling.bench.js')).runLabelingBench },
];

const OUTPUT = join(__dirname, '..', 'docs', 'benchmarks.md');

function markdownTable(table: BenchTable): string {
  const head = `| ${table.columns.join(' | ')} |`;
  const rule = `| ${table.columns.map(() => '---').join(' | ')} |`;
  const body = table.rows.map((row) => `| ${row.join(' | ')} |`);
  return [`**${table.title}**`, '', head, rule, ...body].join('\n');
}

function sectionMarkdown(section: BenchSection, at: string, args: readonly string[]): string {
  return [
    `<!-- section:${section.name} -->`,
    `## ${section.title}`,
    '',
    `_Measured ${at} with \`npm run bench -- ${[section.name, ...args].join(' ')}\`._`,
    '',
    ...section.notes.map((n) => `- ${n}`),
    '',
    ...section.tables.flatMap((t) => [markdownTable(t), '']),
    `<!-- /section:${section.name} -->`,
  ].join('\n');
}

function machine(): string {
  const cpuList = cpus();
  return [
    `- CPU: ${cpuList[0]?.model.trim() ?? 'unknown'} × ${cpuList.length} logical cores`,
    `- Memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- Node ${process.version} on ${process.platform}/${process.arch}`,
    `- UV_THREADPOOL_SIZE: ${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}`,
  ].join('\n');
}

function existingSections(): Map<string, string> {
  const found = new Map<string, string>();
  let text = '';
  try {
    text = readFileSync(OUTPUT, 'utf8');
  } catch {
    return found;
  }
  const re = /<!-- section:([\w-]+) -->[\s\S]*?<!-- \/section:\1 -->/g;
  for (const m of text.matchAll(re)) found.set(m[1] as string, m[0]);
  return found;
}

async function main(): Promise<void> {
  const words = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const wanted = words.filter((w) => SECTIONS.some((s) => s.name === w));
  // Other words are the sections' arguments (`ml-cities DIR`): allowed only with one section.
  const args = words.filter((w) => !wanted.includes(w));
  const unknown = wanted.length === 1 ? [] : args;
  if (unknown.length > 0) {
    console.error(
      `Unknown section(s): ${unknown.join(', ')}. Known: ${SECTIONS.map((s) => s.name).join(', ')}`,
    );
    process.exit(2);
  }
  const selected = wanted.length === 0 ? SECTIONS : SECTIONS.filter((s) => wanted.includes(s.name));
  const sections = existingSections();
  const at = new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  const failed: string[] = [];
  for (const entry of selected) {
    console.log(`\n=== ${entry.name} ===`);
    let section: BenchSection;
    try {
      const run = await entry.load();
      section = await run(args);
    } catch (error) {
      // One broken section must not throw away the others' figures; the file keeps its last
      // successful result for this one and the run exits non-zero.
      console.error(`section ${entry.name} failed:`, error);
      failed.push(entry.name);
      continue;
    }
    for (const note of section.notes) console.log(`  ${note}`);
    for (const table of section.tables) {
      console.log(`\n${table.title}`);
      console.table(
        Object.fromEntries(
          table.rows.map((r, i) => [i, Object.fromEntries(table.columns.map((c, j) => [c, r[j]]))]),
        ),
      );
    }
    sections.set(section.name, sectionMarkdown(section, at, args));
  }

  const order = [
    ...SECTIONS.map((s) => s.name).filter((n) => sections.has(n)),
    ...[...sections.keys()].filter((n) => !SECTIONS.some((s) => s.name === n)),
  ];
  const doc = [
    '# Benchmarks',
    '',
    'Generated by `npm run bench` (one section: `npm run bench -- <section>`); do not edit by hand.',
    '',
    '## Machine (last run)',
    '',
    machine(),
    '',
    ...order.map((n) => sections.get(n) as string),
    '',
  ].join('\n');
  writeFileSync(OUTPUT, doc);
  console.log(`\nwrote ${OUTPUT}`);
  if (failed.length > 0) {
    console.error(`failed sections (kept their previous results): ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
