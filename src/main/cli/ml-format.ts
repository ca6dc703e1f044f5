import type { EpochMetrics } from '../../shared/contract/job-types';
import type {
  BackboneSummary,
  BackendReport,
  EvaluationReport,
  ModelSummary,
  Proportion,
  RunSummary,
  StoredEvaluation,
  TrainSummary,
} from '../../shared/contract/ml-types';
import {
  GEO_SCORE_MAX,
  GEO_SCORE_SCALE_KM,
  type GeoErrorReport,
} from '../../shared/domain/geo-errors';
import { plural, table } from './format';

/** 0.8512 → "85.1%"; null (undefined proportion) → "-". */
export function pct(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? '-' : `${(100 * value).toFixed(digits)}%`;
}

/** The Wilson 95% interval of a proportion, e.g. "76.4–99.1%". */
export function interval(p: Proportion): string {
  return p.lo === null || p.hi === null
    ? '-'
    : `${(100 * p.lo).toFixed(1)}–${(100 * p.hi).toFixed(1)}%`;
}

export function epochLine(m: EpochMetrics, totalEpochs: number | null): string {
  const of = totalEpochs === null ? '' : `/${totalEpochs}`;
  return [
    `stage ${m.stage}  epoch ${String(m.epoch).padStart(3)}${of}`,
    `loss ${m.loss.toFixed(4)}`,
    `acc ${pct(m.accuracy)}`,
    `val acc ${pct(m.valAccuracy)}`,
    `lr ${Number(m.learningRate.toPrecision(3))}`,
  ].join('  ');
}

function stopText(s: TrainSummary): string {
  const how =
    s.stopReason === 'earlyStopped'
      ? 'stopped early'
      : s.stopReason === 'cancelled'
        ? 'cancelled'
        : 'completed';
  const best = s.bestEpoch === null ? '' : `, best epoch ${s.bestEpoch}`;
  return `stage ${s.stage}: ${plural(s.epochsRun, 'epoch')} (${how}${best}, ${s.monitored} accuracy ${pct(s.bestAccuracy)}, final rate ${Number(s.finalLearningRate.toPrecision(3))})`;
}

export function trainText(
  modelId: string,
  name: string,
  summaries: readonly TrainSummary[],
  validation: EvaluationReport | null,
): string {
  const backend = summaries.at(-1)?.backend;
  const lines = [`Trained model ${modelId} ("${name}")${backend ? ` on ${backend}` : ''}.`];
  for (const s of summaries) lines.push(`  ${stopText(s)}`);
  if (validation === null) {
    lines.push('No validation split: assign one with `littleplanet split` to measure accuracy.');
  } else {
    lines.push(
      `Validation accuracy ${pct(validation.accuracy.value)} (95% CI ${interval(validation.accuracy)}) on ${plural(validation.n, 'image')}; chance ${pct(validation.chance.uniform)}.`,
    );
  }
  lines.push(`Evaluate it on the test split: littleplanet evaluate --model ${modelId}`);
  return lines.join('\n');
}

/** Short unique column labels for the confusion matrix ("New York" → "NY", "Paris" → "Par"). */
export function abbreviations(names: readonly string[]): string[] {
  const short = names.map((n) => {
    const words = n.split(/[\s_-]+/).filter((w) => w !== '');
    if (words.length > 1) return words.map((w) => w.charAt(0)).join('');
    return n.slice(0, 3);
  });
  return new Set(short).size === short.length ? short : names.map((_, i) => String(i + 1));
}

function confusionText(report: EvaluationReport): string {
  const labels = abbreviations(report.classes);
  const matrix = table(
    ['true \\ predicted', ...labels],
    report.confusion.map((row, i) => [`${labels[i]} ${report.classes[i]}`, ...row]),
  );
  return `Confusion matrix (rows: true city, columns: predicted):\n${matrix}`;
}

/** Where a per-city accuracy stands against chance, judged by its 95% interval. */
function versusChance(p: Proportion, chance: number): string {
  if (p.lo === null || p.hi === null) return '-';
  if (p.lo > chance) return 'above';
  if (p.hi < chance) return 'below';
  return 'not distinguishable';
}

/** Mean score and distances, and the farthest errors (all of them are in --json). */
function geoText(g: GeoErrorReport): string {
  const km = (v: number | null): string => (v === null ? '-' : `${Math.round(v)} km`);
  const lines = [
    `GeoGuessr-style score ${g.meanScore === null ? '-' : Math.round(g.meanScore)} of ${GEO_SCORE_MAX} per photo (5000·exp(−km/${GEO_SCORE_SCALE_KM})); mean distance ${km(g.meanKm)} per photo, median error ${km(g.medianErrorKm)}.`,
  ];
  const shown = g.errors.slice(0, 5);
  if (shown.length > 0) {
    lines.push(`Farthest errors:`);
    for (const e of shown) lines.push(`  ${e.path}: ${e.true} → ${e.predicted}, ${km(e.km)}`);
  }
  return lines.join('\n');
}

export function evaluationText(evaluation: StoredEvaluation): string {
  const r = evaluation.report;
  const chance = r.chance.uniform;
  const on =
    evaluation.dataset === 'external'
      ? `an external set (${evaluation.sources.join(', ')})`
      : `the ${evaluation.dataset} split`;
  const crop = evaluation.tta === 'multiCrop' ? '10-crop test-time augmentation' : 'centre crop';
  const majority = r.chance.majority;
  const lines = [
    `Model ${evaluation.modelId} on ${on} (${crop}): accuracy ${pct(r.accuracy.value)} (95% CI ${interval(r.accuracy)}) on ${plural(r.n, 'image')}.`,
    `Chance: ${pct(chance)} guessing uniformly; ${pct(majority.accuracy.value)} always answering ${majority.class} (${majority.source === 'prior' ? 'the training majority' : 'this set’s majority'}).`,
  ];
  // Top-k of all the classes is trivially 100%.
  const topK = r.topK.filter((t) => t.k > 1 && t.k < r.classes.length);
  if (topK.length > 0)
    lines.push(topK.map((t) => `Top-${t.k} accuracy ${pct(t.value)}`).join(', ') + '.');
  lines.push(
    '',
    table(
      ['City', 'Correct', 'Images', 'Accuracy', '95% CI', 'Chance', 'vs chance'],
      r.perClass.map((c) => [
        c.class,
        c.truePositives,
        c.support,
        pct(c.recall.value),
        interval(c.recall),
        pct(chance),
        versusChance(c.recall, chance),
      ]),
    ),
    '',
    confusionText(r),
  );
  if (r.geo !== undefined) lines.push('', geoText(r.geo));
  if (evaluation.skipped.length > 0) {
    lines.push('', `Skipped ${plural(evaluation.skipped.length, 'file')}:`);
    for (const s of evaluation.skipped.slice(0, 20)) lines.push(`  ${s.path}: ${s.reason}`);
    if (evaluation.skipped.length > 20)
      lines.push(`  … and ${evaluation.skipped.length - 20} more (--json lists them all)`);
  }
  return lines.join('\n');
}

const day = (iso: string | null): string =>
  iso === null ? '-' : iso.slice(0, 16).replace('T', ' ');

export function backbonesText(backbones: readonly BackboneSummary[]): string {
  if (backbones.length === 0) {
    return 'No backbones yet. Import one with `littleplanet backbone import FILE --name NAME`.';
  }
  return table(
    ['Name', 'Format', 'Input', 'Features', 'Blocks', 'Source', 'sha256', 'Added'],
    backbones.map((b) => [
      b.name,
      b.format,
      b.inputSize,
      b.featureDim,
      b.blockLayers.length,
      b.source,
      b.sha256.slice(0, 12),
      day(b.createdAt),
    ]),
  );
}

export function modelsText(models: readonly ModelSummary[]): string {
  if (models.length === 0) return 'No models yet. Train one with `littleplanet train`.';
  return table(
    ['ID', 'Name', 'Backbone', 'Cities', 'Fine-tuned', 'Accuracy', 'Created'],
    models.map((m) => [
      m.id,
      m.name,
      m.backbone,
      m.classes.length,
      m.fineTuned ? 'yes' : 'no',
      m.accuracy === null ? '-' : `${pct(m.accuracy)} (${m.accuracySplit ?? '?'})`,
      day(m.createdAt),
    ]),
  );
}

export function runsText(runs: readonly RunSummary[]): string {
  if (runs.length === 0) return 'No training runs yet.';
  return table(
    ['Job', 'Name', 'Status', 'Backbone', 'Model', 'Epochs', 'Best val acc', 'Backend', 'Started'],
    runs.map((r) => {
      const best = r.epochs.reduce<number | null>(
        (m, e) => (e.valAccuracy === null ? m : Math.max(m ?? 0, e.valAccuracy)),
        null,
      );
      return [
        r.jobId,
        r.name,
        r.status,
        r.backbone,
        r.modelId ?? '-',
        r.epochs.length,
        pct(best),
        r.backend?.name ?? '-',
        day(r.createdAt),
      ];
    }),
  );
}

export function backendText(backend: BackendReport, hostPid: number | null): string {
  const lines = [
    `Backend: ${backend.name} (${backend.package})${backend.gpu ? ', GPU' : ''}`,
    `Why: ${backend.reason}`,
    `Fine-tuning conv layers: ${backend.convGradients ? 'on this backend' : 'through the CPU backend (this one has no conv gradients)'}`,
  ];
  if (hostPid !== null) lines.push(`ML host process: pid ${hostPid}`);
  return lines.join('\n');
}
