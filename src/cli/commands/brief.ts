/**
 * `tradescope brief`: the first draft of a trade story written from the data — key points ranked by
 * newsworthiness, each number footnoted with its query, charts, what the data cannot say — in English or
 * Chinese, as Markdown (stdout), HTML or PDF.
 */
import type { Command } from 'commander';
import type { Lang } from '../../i18n/format.js';
import { UserError } from '../../util/errors.js';
import { common, PERIOD_HELP, type Run } from '../common.js';
import { printJson } from '../format.js';
import { openStore } from '../open-store.js';

interface BriefFlags {
  db?: string;
  json?: boolean;
  reporter?: string;
  period?: string;
  partner?: string;
  lang?: string;
  out?: string;
  since?: string;
  top?: string;
  explain?: boolean;
}

export function registerBrief(program: Command, run: Run): void {
  common(
    program
      .command('brief')
      .description('write a brief from the data: ranked key points, every number footnoted with its query, charts')
      .option('--reporter <code>', 'reporter in any scheme (CHN, 156, CN)')
      .option('--period <period>', PERIOD_HELP)
      .option('--partner <code>', 'a partner (USA, 842, 美国): trade with it only')
      .option('--lang <lang>', 'en or zh (default en)')
      .option('--out <file>', 'write to a file: .md (charts as SVG and PNG beside it), .html (self-contained) or .pdf')
      .option('--since <vintage>', 'compare with the data as released up to this vintage (YYYY-MM-DD)')
      .option('--top <n>', 'key points to keep after the headline (default 8)')
      .option('--explain', 'list every point found with its newsworthiness score, kept or not'),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  tradescope brief --reporter CHN --period ytd:2025-06\n  tradescope brief --reporter CHN --period ytd:2025-06 --lang zh --out brief-zh.pdf\n  tradescope brief --reporter CHN --period 2019 --out brief.html\n  tradescope brief --reporter CHN --partner USA --period 2022 --explain\n\nEvery number in the brief has a footnote with its query spec: save it as a file and run\n`tradescope query --spec file.json` to get the number again. docs/briefs.md explains the ranking.\n',
    )
    .action((o: BriefFlags) => run(briefCommand(o)));
}

export async function briefCommand(o: BriefFlags): Promise<number> {
  if (!o.reporter) throw new UserError('--reporter is required (e.g. --reporter CHN)');
  if (!o.period) throw new UserError('--period is required (e.g. --period ytd:2025-06)');
  const lang = (o.lang ?? 'en') as Lang;
  if (lang !== 'en' && lang !== 'zh') throw new UserError(`--lang: expected en or zh, got ${o.lang}`);
  const top = o.top !== undefined ? Number(o.top) : undefined;
  if (top !== undefined && (!Number.isInteger(top) || top < 1))
    throw new UserError(`--top: expected a positive whole number, got ${o.top}`);
  // the brief's modules (charts, fonts, Chromium) load only when a brief is asked for
  const [{ buildBrief }, { formatOf, writeBrief }, { renderMarkdown }] = await Promise.all([
    import('../../brief/compose.js'),
    import('../../brief/output.js'),
    import('../../brief/render/markdown.js'),
  ]);
  if (o.out) formatOf(o.out); // an unknown extension fails before any work
  const store = await openStore(o.db);
  try {
    const brief = await buildBrief(store, {
      reporter: o.reporter,
      period: o.period,
      ...(o.partner ? { partner: o.partner } : {}),
      ...(top !== undefined ? { top } : {}),
      ...(o.since ? { since: o.since } : {}),
    });
    if (o.json) printJson(brief);
    if (o.out) {
      const files = await writeBrief(brief, lang, o.out);
      process.stderr.write(`wrote ${files.join(', ')}\n`);
    } else if (!o.json) process.stdout.write(renderMarkdown(brief, lang));
    if (o.explain) {
      const lines = [...brief.points, ...brief.dropped]
        .sort((a, b) => b.score - a.score)
        .map(
          (p) =>
            `${brief.points.includes(p) ? 'kept   ' : 'dropped'}  ${p.score.toFixed(1).padStart(6)}  ${p.id}  (${p.why})`,
        );
      process.stderr.write(`\nnewsworthiness (docs/briefs.md):\n${lines.join('\n')}\n`);
    }
    return 0;
  } finally {
    await store.close();
  }
}
