/**
 * `tradescope baskets [id]`: the product baskets (bundled and the user's), or one basket's parts and codes in
 * an edition with the over-/under-inclusive report of the correlation.
 */
import type { Command } from 'commander';
import { applyBasket, type Basket, expandBasket, loadBaskets } from '../../classify/baskets.js';
import { displayCode, hsLookup, parseEdition } from '../../classify/hs-nomenclature.js';
import { UserError } from '../../util/errors.js';
import type { Run } from '../common.js';
import { printJson, textTable } from '../format.js';

export interface BasketsOptions {
  json?: boolean;
  edition?: string;
  dir?: string;
  policy?: string;
}

/**
 * Registers `tradescope baskets`.
 * @example registerBaskets(program, run) // tradescope baskets new-three --edition HS2017
 */
export function registerBaskets(program: Command, run: Run): Command {
  return program
    .command('baskets')
    .description('product baskets (New Three, labour-intensive products, stages of processing …) and their HS codes')
    .argument('[id]', 'one basket: its parts and codes, in its own edition or in --edition')
    .option('--edition <edition>', 'show the codes in this HS edition (HS1992 … HS2022), with the correlation report')
    .option('--policy <policy>', "which target codes a part takes: 'any' (default, may be over-inclusive) or 'all'")
    .option('--dir <dir>', 'also read baskets from this directory (default $TRADESCOPE_BASKETS)')
    .option('--json', 'print one JSON document on stdout')
    .addHelpText(
      'after',
      '\nExamples:\n  tradescope baskets\n  tradescope baskets new-three --edition HS2017\n  TRADESCOPE_BASKETS=./my-baskets tradescope baskets --json\n',
    )
    .action((id: string | undefined, o: BasketsOptions) => run(basketsCommand(id, o)));
}

/** The command body: exit code 0, or a UserError (exit 2) for an unknown id, edition or an invalid file. */
export async function basketsCommand(id: string | undefined, o: BasketsOptions): Promise<number> {
  const { baskets, problems } = loadBaskets(o.dir !== undefined ? { dir: o.dir } : {});
  const errors = problems.filter((p) => p.severity === 'error');
  const edition = o.edition !== undefined ? parseEdition(o.edition) : undefined;
  if (o.policy !== undefined && o.policy !== 'any' && o.policy !== 'all')
    throw new UserError(`--policy: unknown policy ${o.policy} (use any or all)`);
  const policy = (o.policy ?? 'any') as 'any' | 'all';

  if (id === undefined) {
    if (o.json) printJson({ baskets: baskets.map(summary), problems });
    else {
      process.stdout.write(
        `${textTable(
          ['id', 'name', '名称', 'edition', 'parts', 'source'],
          baskets.map((b) => [
            b.id,
            b.name.en,
            b.name.zh,
            b.edition,
            b.implicitPart ? '' : b.parts.map((p) => p.id).join(' '),
            short(b.source.title, 60),
          ]),
        )}\n`,
      );
    }
    if (errors.length) throw new UserError(`invalid basket file(s): ${errors.length} problem(s)`, errors);
    return 0;
  }

  const basket = baskets.find((b) => b.id === id);
  if (!basket) {
    throw new UserError(`unknown basket: ${id} (known: ${baskets.map((b) => b.id).join(', ')})`, errors);
  }
  const target = edition ?? basket.edition;
  const applied = target === basket.edition ? undefined : applyBasket(basket, target, { policy });
  const parts = applied
    ? applied.parts.map((p) => ({ id: p.id, name: p.name, codes: p.codes }))
    : expandBasket(basket, target);

  if (o.json) {
    printJson({ basket: summary(basket), edition: target, parts, ...(applied ? { applied } : {}) });
    return 0;
  }
  const out: string[] = [
    `${basket.id} — ${basket.name.en} (${basket.name.zh}), version ${basket.version}, defined in ${basket.edition}`,
    `source: ${basket.source.title}${basket.source.url ? ` <${basket.source.url}>` : ''}${basket.source.document ? ` (${basket.source.document})` : ''}`,
  ];
  if (basket.notes) out.push(`notes: ${basket.notes}`);
  out.push(`file: ${basket.file}`, '');
  for (const p of parts) {
    const def = basket.parts.find((x) => x.id === p.id)!;
    const rule = `include ${def.include.map(displayCode).join(' ')}${def.exclude.length ? `, exclude ${def.exclude.map(displayCode).join(' ')}` : ''}`;
    out.push(
      `${p.id} — ${p.name.en} (${p.name.zh}): ${p.codes.length} code(s) in ${target}; ${rule} (${basket.edition})`,
    );
    const fit = new Map((applied?.parts.find((x) => x.id === p.id)?.report ?? []).map((r) => [r.code, r.fit]));
    const rows = p.codes.map((c) => [displayCode(c), fit.get(c) ?? '', short(hsLookup(c, target)?.description, 90)]);
    if (rows.length > 40 && !applied) {
      out.push(indent(textTable(['code', 'fit', 'description'], rows.slice(0, 40))));
      out.push(`  … and ${rows.length - 40} more (--json for all)`);
    } else out.push(indent(textTable(['code', 'fit', 'description'], rows)));
    out.push('');
  }
  if (applied) {
    out.push(`in ${target}: ${applied.exact ? 'exact, every code maps one to one' : 'not exact'} (policy ${policy})`);
    const shown = applied.notes.slice(0, 30);
    for (const n of shown) out.push(`  ${n}`);
    if (applied.notes.length > shown.length) out.push(`  … and ${applied.notes.length - shown.length} more (--json)`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

function summary(b: Basket) {
  return {
    id: b.id,
    version: b.version,
    name: b.name,
    definedIn: b.edition,
    parts: b.parts.map((p) => ({ id: p.id, name: p.name, include: p.include, exclude: p.exclude })),
    implicitPart: b.implicitPart,
    allowOverlaps: b.allowOverlaps,
    source: b.source,
    notes: b.notes,
    ...(b.validFrom ? { validFrom: b.validFrom } : {}),
    file: b.file,
  };
}

const short = (s: string | null | undefined, n: number) => (s && s.length > n ? `${s.slice(0, n - 1)}…` : (s ?? ''));
const indent = (s: string) =>
  s
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
