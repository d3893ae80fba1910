// entente web application: an address that names nothing.
import { h } from '../dom.js';

export function notFoundView(what) {
  return [h('h1', {}, 'Not found'),
    h('p', {}, what || `Nothing is at ${location.hash || 'this address'}.`),
    h('ul', {}, [['#/', 'My tasks'], ['#/wrs', 'Work Registers'], ['#/change-requests', 'Change requests'], ['#/meetings', 'Joint meetings']]
      .map(([href, label]) => h('li', {}, h('a', { href }, label))))];
}
