/**
 * The view's state lives in the URL (?lang=zh&cur=USD&partner=USA&hs=85), so a view can be shared.
 */
import type { Lang } from '../../src/i18n/format.js';

export interface ViewState {
  reporter: string;
  lang: Lang;
  currency: 'CNY' | 'USD';
  partner: string | null;
  /** A province whose cities are shown (GB/T 2260 code). */
  region: string | null;
  hs: string | null;
  animation: boolean;
}

export function readState(search = location.search): ViewState {
  const p = new URLSearchParams(search);
  const cur = (p.get('cur') ?? 'CNY').toUpperCase();
  return {
    reporter: (p.get('reporter') ?? 'CHN').toUpperCase().replace(/[^A-Z0-9_]/g, '') || 'CHN',
    lang: p.get('lang') === 'zh' ? 'zh' : 'en',
    currency: cur === 'USD' ? 'USD' : 'CNY',
    partner: p.get('partner')?.toUpperCase().replace(/[^A-Z0-9_]/g, '') || null,
    region: p.get('region')?.replace(/[^0-9]/g, '') || null,
    hs: p.get('hs')?.replace(/[^0-9IVXL]/g, '') || null,
    animation: p.get('animation') !== '0' && !matchMedia('(prefers-reduced-motion: reduce)').matches,
  };
}

export function writeState(s: ViewState): void {
  const p = new URLSearchParams(location.search);
  const set = (k: string, v: string | null, dflt: string | null) => {
    if (v === null || v === dflt) p.delete(k);
    else p.set(k, v);
  };
  set('reporter', s.reporter, 'CHN');
  set('lang', s.lang, 'en');
  set('cur', s.currency, 'CNY');
  set('partner', s.partner, null);
  set('region', s.region, null);
  set('hs', s.hs, null);
  const q = p.toString();
  history.replaceState(null, '', `${location.pathname}${q ? `?${q}` : ''}${location.hash}`);
}
