// entente web application: R41, the information-management domains of
// every partner's Table 1 rows, with the domains more than one partner
// works in marked as overlaps, for the VP of Alliances.
import { api } from '../api.js';
import { h, ruleBadge } from '../dom.js';

export async function overlapsView() {
  const { json } = await api('GET', '/overlaps');
  return [h('h1', {}, 'Overlapping work'),
    h('p', {}, `${json.items.length} information-management domain(s) in the partners' Table 1 rows; ${json.overlaps} worked in by more than one partner.`, ruleBadge('R41')),
    h('table', {}, h('caption', { class: 'muted' }, 'Domains and the partners working in them; overlaps first in each row\'s mark'),
      h('thead', {}, h('tr', {}, ['Domain', 'Partners', 'Rows', 'Overlap'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, json.items.map((d) => h('tr', { class: d.overlap ? 'overlap' : null },
        h('th', { scope: 'row' }, d.domain), h('td', {}, d.partners.map((p) => p.short_name).join(', ')),
        h('td', {}, h('ul', {}, d.rows.map((r) => h('li', {}, `${r.ap_id} (${r.standard_type}, ${r.kind}) in `, h('a', { href: `#/wr/${r.wr_id}` }, r.wr_title))))),
        h('td', {}, d.overlap ? h('strong', {}, `overlap: ${d.partners.length} partners`) : 'one partner')))))];
}
