// scope-check.js - the `mamori scope --html` page as a reader sees it, measured in headless
// Chromium (run by tests/browser/chromium.py check). The body of a function; it returns:
//   svg            the spread graph is an inline <svg> with a real size
//   nodes          data-ip of every node drawn (the indicator included)
//   edges          "src>dst:new|known:hop" of every edge drawn
//   edge_colours   stroke colour of new and of known edges (they must differ)
//   node_overlap   pairs of node boxes that overlap
//   text_outside   node labels sticking out of their box
//   svg_outside    graph elements outside the SVG's viewBox
//   overflow       elements whose content is wider than their box (text cut or spilling)
//   outside_main   elements sticking out of the page column
//   tables         rows per table (verdicts, exposed, spread, outside)
var out = {};
var svg = document.querySelector('svg#graph');
out.svg = !!svg;
function describe(el) {
  var s = el.tagName.toLowerCase();
  if (el.id) s += '#' + el.id;
  var c = el.getAttribute && el.getAttribute('class');
  if (c) s += '.' + c.split(' ').join('.');
  return s + ' "' + (el.textContent || '').trim().slice(0, 40) + '"';
}
out.nodes = [];
out.edges = [];
out.edge_colours = {};
out.node_overlap = [];
out.text_outside = [];
out.svg_outside = [];
if (svg) {
  var sr = svg.getBoundingClientRect();
  out.svg_px = [Math.round(sr.width), Math.round(sr.height)];
  var boxes = [];
  svg.querySelectorAll('g.node').forEach(function (g) {
    out.nodes.push(g.getAttribute('data-ip'));
    var rect = g.querySelector('rect').getBoundingClientRect();
    boxes.push([g.getAttribute('data-ip'), rect]);
    g.querySelectorAll('text').forEach(function (t) {
      var tr = t.getBoundingClientRect();
      if (tr.width > 0 && (tr.right > rect.right + 1 || tr.left < rect.left - 1))
        out.text_outside.push(describe(t));
    });
  });
  for (var i = 0; i < boxes.length; i++)
    for (var j = i + 1; j < boxes.length; j++) {
      var a = boxes[i][1], b = boxes[j][1];
      if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
        out.node_overlap.push(boxes[i][0] + '/' + boxes[j][0]);
    }
  svg.querySelectorAll('g.edge').forEach(function (g) {
    var isNew = g.getAttribute('data-new') === '1';
    out.edges.push(g.getAttribute('data-src') + '>' + g.getAttribute('data-dst') + ':' +
                   (isNew ? 'new' : 'known') + ':' + g.getAttribute('data-hop'));
    out.edge_colours[isNew ? 'new' : 'known'] = getComputedStyle(g.querySelector('path')).stroke;
  });
  var box = svg.closest('.graph');
  out.graph_scrolls = box ? box.scrollWidth > box.clientWidth : false;
  svg.querySelectorAll('rect, text, path, line').forEach(function (el) {
    var r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return;
    if (r.left < sr.left - 1 || r.right > sr.right + 1 || r.top < sr.top - 1 ||
        r.bottom > sr.bottom + 1)
      out.svg_outside.push(describe(el));
  });
}
out.overflow = [];
out.outside_main = [];
var main = document.querySelector('main');
var mr = main.getBoundingClientRect();
document.querySelectorAll('body *').forEach(function (el) {
  if (!(el instanceof HTMLElement) || el.id === 'mamori-check-result') return;
  if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) {
    var ov = getComputedStyle(el).overflowX;
    if (ov === 'visible' || ov === 'clip')
      out.overflow.push(describe(el) + ' ' + el.scrollWidth + '>' + el.clientWidth);
  }
  var r = el.getBoundingClientRect();
  if (el.closest('.graph') && !el.classList.contains('graph')) return; // scrolls sideways
  if (r.width > 0 && (r.right > mr.right + 1 || r.left < mr.left - 1))
    out.outside_main.push(describe(el));
});
out.overflow = out.overflow.slice(0, 20);
out.outside_main = out.outside_main.slice(0, 20);
out.tables = {};
['verdicts', 'exposed', 'spread', 'outside'].forEach(function (id) {
  var t = document.getElementById(id);
  out.tables[id] = t ? t.querySelectorAll('tr').length - 1 : -1;
});
out.lang = document.documentElement.lang;
return out;
