// report-check.js - what a reader of the monthly report page would notice,
// measured in headless Chromium (run by tests/browser/chromium.py check).
// This is the body of a function; it returns a plain object:
//   summary_px      height of page one's content (the #summary sheet minus
//                   its padding), at the sheet's A4 width
//   page_px         the A4 content height it must fit: 297 mm - 2 x 12 mm
//   summary_width_px  its content width (A4 210 mm - 2 x 12 mm = 703 px)
//   overflow        elements whose content is wider than their box
//   outside         elements that stick out of their sheet
//   charts          one entry per <figure class="chart">: drawn or empty
//   svg_untitled    charts without <title>/<desc>
//   status, todo, counts, cards   what page one and the findings hold
var PX_PER_MM = 96 / 25.4;
var out = {};
var summary = document.getElementById('summary');
out.has_summary = !!summary;
if (summary) {
  var cs = getComputedStyle(summary);
  var r = summary.getBoundingClientRect();
  out.summary_px = Math.round(r.height - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom));
  out.summary_width_px = Math.round(r.width - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight));
}
out.page_px = Math.floor((297 - 24) * PX_PER_MM);
out.a4_width_px = Math.floor((210 - 24) * PX_PER_MM);

// Text that does not fit its box: scrollWidth beyond clientWidth on a block
// that shows its overflow (inline boxes and hidden details have no width).
out.overflow = [];
out.outside = [];
var all = document.querySelectorAll('body *');
function describe(el) {
  var s = el.tagName.toLowerCase();
  if (el.id) s += '#' + el.id;
  if (el.className && typeof el.className === 'string') s += '.' + el.className.split(' ').join('.');
  return s + ' "' + (el.textContent || '').trim().slice(0, 40) + '"';
}
for (var i = 0; i < all.length; i++) {
  var el = all[i];
  if (!(el instanceof HTMLElement) || el.id === 'mamori-check-result') continue;
  if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) {
    var ov = getComputedStyle(el).overflowX;
    if (ov === 'visible' || ov === 'clip')
      out.overflow.push(describe(el) + ' ' + el.scrollWidth + '>' + el.clientWidth);
  }
  var sheet = el.closest('.sheet');
  if (sheet && el !== sheet) {
    var er = el.getBoundingClientRect(), sr = sheet.getBoundingClientRect();
    if (er.width > 0 && (er.right > sr.right + 1 || er.left < sr.left - 1))
      out.outside.push(describe(el) + ' ' + Math.round(er.left) + '..' + Math.round(er.right) +
                       ' sheet ' + Math.round(sr.left) + '..' + Math.round(sr.right));
  }
}
out.overflow = out.overflow.slice(0, 20);
out.outside = out.outside.slice(0, 20);

// Charts: each figure is either a drawn SVG (marks inside, a real size) or
// a sentence saying why there is nothing to draw.
out.charts = [];
out.svg_untitled = 0;
var figs = document.querySelectorAll('figure.chart');
for (var j = 0; j < figs.length; j++) {
  var f = figs[j];
  var svg = f.querySelector('svg');
  var cls = (f.className.match(/chart-[a-z]+/) || ['?'])[0];
  if (svg) {
    var b = svg.getBoundingClientRect();
    var marks = svg.querySelectorAll('rect:not(defs rect), polyline, circle:not(defs circle)').length;
    if (!svg.querySelector('title') || !svg.querySelector('desc')) out.svg_untitled++;
    out.charts.push({chart: cls, drawn: marks > 0 && b.width > 100 && b.height > 50,
                     marks: marks, w: Math.round(b.width), h: Math.round(b.height)});
  } else {
    var e = f.querySelector('.chart-empty');
    out.charts.push({chart: cls, drawn: false, empty_note: e ? e.textContent.trim().length > 0 : false});
  }
}

var st = document.querySelector('#summary .status');
out.status = st ? st.className : null;
out.status_word = st ? (st.querySelector('.word') || {}).textContent : null;
out.todo = document.querySelectorAll('#summary ol.todo > li').length;
out.todo_none = !!document.querySelector('#summary .todo-none');
out.counts = document.querySelectorAll('#summary .count').length;
out.cards = document.querySelectorAll('article.card').length;
out.device_tables = document.querySelectorAll('table.devtable').length;
out.lang = document.documentElement.lang;
out.title = document.title;
out.doc_px = document.documentElement.scrollHeight;
var hh = document.querySelector("#happened h2");
out.happened_heading = hh ? hh.textContent.trim() : null;
return out;
