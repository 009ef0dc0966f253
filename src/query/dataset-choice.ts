/**
 * Which dataset answers a query: the one named, the only one holding the cells, or the first by the declared
 * precedence. Datasets that describe the same cells are never added together.
 */
import type { TradeStore } from '../store/store.js';
import { UserError } from '../util/errors.js';

/** The dataset a query reads: the one named, the only one, or the first by declared precedence. */
export async function chooseDataset(
  store: TradeStore,
  named: string | undefined,
  covering: { dataset: string; cells: number }[],
  what: () => string,
): Promise<{ dataset: string; datasetNote: string | null }> {
  if (named) {
    if (!covering.some((c) => c.dataset === named)) {
      throw new UserError(
        `dataset ${named} has no cells for ${what()}` +
          (covering.length ? ` (datasets that do: ${covering.map((c) => c.dataset).join(', ')})` : ''),
      );
    }
    return { dataset: named, datasetNote: null };
  }
  if (covering.length === 0) {
    throw new UserError(`no data for ${what()}; see \`tradescope datasets\` for what is loaded`);
  }
  if (covering.length === 1) return { dataset: covering[0]!.dataset, datasetNote: null };
  const order = await store.precedence();
  const ranked = covering
    .filter((c) => order.includes(c.dataset))
    .sort((a, b) => order.indexOf(a.dataset) - order.indexOf(b.dataset));
  if (!ranked.length) {
    throw new UserError(
      `${covering.length} datasets describe these cells and are never added together: ` +
        `${covering.map((c) => `${c.dataset} (${c.cells} cells)`).join(', ')}; ` +
        'name one with --dataset, or declare a precedence with `tradescope datasets --prefer a,b`',
    );
  }
  const dataset = ranked[0]!.dataset;
  return {
    dataset,
    datasetNote: `${dataset} chosen by the declared precedence over ${covering
      .filter((c) => c.dataset !== dataset)
      .map((c) => c.dataset)
      .join(', ')}`,
  };
}
