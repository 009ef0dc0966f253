/**
 * `tradescope hs <code|text…>`: an HS code with its heading, chapter and section, or a ranked text search.
 */
import type { Command } from 'commander';
import {
  HS_EDITIONS,
  type HsEdition,
  type HsHit,
  type HsNode,
  hsChildren,
  hsHas,
  hsLookup,
  hsSearch,
  looksLikeCode,
  normalizeHsCode,
  parseEdition,
} from '../../classify/hs-nomenclature.js';
import { UserError } from '../../util/errors.js';
import type { Run } from '../common.js';
import { printJson, textTable } from '../format.js';

export interface HsCliOptions {
  edition?: string;
  json?: boolean;
  limit?: string;
}

/** Registers `tradescope hs`. */
export function registerHs(program: Command, run: Run): void {
  program
    .command('hs')
    .description('look up an HS code (any level, with or without dots) or search the descriptions')
    .argument('<query...>', 'a code (854143, 8541.43, 8541, 85, XVI) or words (lithium ion)')
    .option('--edition <edition>', `HS edition: ${HS_EDITIONS.join(', ')} or H0 … H6 (default HS2022)`)
    .option('--limit <n>', 'at most n search hits (default 20)')
    .option('--json', 'print one JSON document on stdout')
    .addHelpText(
      'after',
      '\nExamples:\n  tradescope hs 854143\n  tradescope hs 8541.43 --edition HS2017\n  tradescope hs lithium\n  tradescope hs 010111 --edition HS1992\n',
    )
    .action((query: string[], o: HsCliOptions) => run(hsCommand(query, o)));
}

export async function hsCommand(query: string[], o: HsCliOptions): Promise<number> {
  const edition: HsEdition = o.edition ? parseEdition(o.edition) : 'HS2022';
  const text = query.join(' ').trim();
  if (!text) throw new UserError('give a code or words to search for');
  if (looksLikeCode(text)) {
    const code = normalizeHsCode(text);
    if (!code) throw new UserError(`invalid HS code: ${text} (use 2, 4 or 6 digits, dots allowed: 8541.43)`);
    const node = hsLookup(code, edition);
    if (!node) {
      const elsewhere = HS_EDITIONS.filter((e) => e !== edition && hsHas(code, e));
      throw new UserError(
        `unknown ${edition} code: ${text}${elsewhere.length ? ` (known in ${elsewhere.join(', ')}: use --edition)` : ''}`,
      );
    }
    const children = hsChildren(code, edition);
    if (o.json) printJson({ node, children: children.map((c) => ({ code: c.code, description: c.description })) });
    else process.stdout.write(renderNode(node, children));
    return 0;
  }
  const limit = o.limit ? Number(o.limit) : 20;
  if (!Number.isInteger(limit) || limit < 1) throw new UserError(`--limit: ${o.limit} (use a positive integer)`);
  const hits = hsSearch(text, edition, limit);
  if (o.json) {
    printJson({ query: text, edition, hits });
    return 0;
  }
  if (!hits.length) {
    const why =
      edition === 'HS2022' || edition === 'HS2017' ? '' : ` (no bundled descriptions for ${edition}: search HS2022)`;
    process.stdout.write(`no ${edition} description matches "${text}"${why}\n`);
    return 0;
  }
  process.stdout.write(`${renderHits(hits)}\n`);
  return 0;
}

function renderNode(n: HsNode, children: HsNode[]): string {
  const lines = [
    `${n.edition} ${n.level} ${n.display}: ${n.description ?? '(description unknown)'}`,
    ...(n.unit ? [`standard quantity unit: ${n.unit}`] : []),
  ];
  for (const p of n.parents) {
    lines.push(`  ${p.level.padEnd(8)} ${p.code.padEnd(5)} ${p.description ?? '(description unknown)'}`);
  }
  if (children.length) {
    lines.push('', `${children.length} ${children[0]!.level}${children.length > 1 ? 's' : ''}:`);
    lines.push(
      textTable(
        ['code', 'description'],
        children.map((c) => [c.display, c.description ?? '(unknown)']),
      ),
    );
  }
  lines.push('', `source: ${n.descriptionSource}`);
  if (n.note) lines.push(`note: ${n.note}`);
  return `${lines.join('\n')}\n`;
}

function renderHits(hits: HsHit[]): string {
  return textTable(
    ['code', 'level', 'description'],
    hits.map((h) => [
      h.display,
      h.level,
      h.description.length > 100 ? `${h.description.slice(0, 99)}…` : h.description,
    ]),
  );
}
