/**
 * GAC's release tables, when the store holds them: one line per loaded release page (its title and publication
 * date) with a link to the written brief of its period, whose release key points state the headline of table (4),
 * exports by partner and the labour-intensive lines, with the figures as the page prints them.
 */
import { type ReleaseBrief, releaseBriefs } from '../../../src/brief/release-periods.js';
import type { Ctx } from '../context.js';
import { sectionTitle } from '../panel.js';
import { w } from '../words.js';

export interface DatasetVintages {
  dataset: string;
  vintages?: { vintage: string; vintageSource: string }[];
}

/** The release pages of the store's `gacc-release-*` datasets. */
export function loadedReleases(datasets: readonly DatasetVintages[]): ReleaseBrief[] {
  return releaseBriefs(datasets.filter((d) => d.dataset.startsWith('gacc-release-')).flatMap((d) => d.vintages ?? []));
}

export function renderReleases(ctx: Ctx, el: HTMLElement, releases: readonly ReleaseBrief[]): void {
  if (!releases.length) return;
  sectionTitle(el, w('sectionReleases', ctx.lang), 'section-releases');
  const list = document.createElement('ul');
  list.className = 'releases';
  list.id = 'release-list';
  for (const r of releases) {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = `/api/brief?reporter=${encodeURIComponent(ctx.plan.reporter)}&period=${encodeURIComponent(r.period)}&lang=${ctx.lang}&format=html`;
    a.textContent = w('releaseBrief', ctx.lang);
    li.append(`${r.title} — ${w('published', ctx.lang)} ${r.published} · `, a);
    list.append(li);
  }
  el.append(list);
}
