// The wmsim report's timeline: zoom, pan, details on hover and keyboard
// navigation over the server-drawn SVG. Every drawn item carries data-a and
// data-b, its span in seconds from the start; the script only moves items
// and redraws the time axis for the part in view.
(function () {
  'use strict';
  var svg = document.getElementById('tl');
  if (!svg) { return; }
  var NS = 'http://www.w3.org/2000/svg';
  var H = +svg.dataset.horizon;
  var X0 = +svg.dataset.x0;
  var W = +svg.dataset.plotw;
  var startMs = +svg.dataset.start * 1000;
  var tzMs = +svg.dataset.tz * 1000;
  var MIN_SPAN = Math.min(H, 10);
  var MIN_RUN_W = 1.5;
  var view = [0, H];
  var tip = document.getElementById('tl-tip');
  var range = document.getElementById('tl-range');
  var holder = svg.closest('.timeline-view');
  var axis = svg.querySelector('g.axis');
  var height = +svg.getAttribute('height');
  var items = Array.prototype.slice.call(svg.querySelectorAll('[data-a]'));
  var lines = Array.prototype.slice.call(svg.querySelectorAll('polyline[data-levels]'));
  var rows = Array.prototype.slice.call(svg.querySelectorAll('g.row'));
  var selected = null;

  // The browser's own tooltip would repeat ours: keep the text as the
  // item's accessible name and details.
  items.concat(lines).forEach(function (el) {
    var t = el.querySelector('title');
    if (t) {
      el.dataset.tip = t.textContent;
      el.setAttribute('aria-label', t.textContent.replace(/\n/g, '; '));
      t.remove();
    }
  });

  function x(t) { return X0 + (t - view[0]) / (view[1] - view[0]) * W; }
  function clampX(v) { return Math.min(Math.max(v, X0 - 4), X0 + W + 4); }

  function two(n) { return (n < 10 ? '0' : '') + n; }
  var DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  // clock is the scenario's wall clock at offset t seconds (its own zone).
  function clock(t) { return new Date(startMs + tzMs + Math.round(t * 1000)); }
  function hhmm(d) { return two(d.getUTCHours()) + ':' + two(d.getUTCMinutes()); }
  function day(d) { return DAYS[d.getUTCDay()] + ' ' + two(d.getUTCDate()) + ' ' + MONTHS[d.getUTCMonth()]; }
  function stamp(t) { var d = clock(t); return day(d) + ' ' + hhmm(d) + (view[1] - view[0] < 600 ? ':' + two(d.getUTCSeconds()) : ''); }
  function dur(s) {
    s = Math.round(s);
    if (s < 60) { return s + 's'; }
    if (s < 3600) { return Math.floor(s / 60) + 'm' + (s % 60 ? two(s % 60) + 's' : ''); }
    if (s < 86400) { return Math.floor(s / 3600) + 'h' + (s % 3600 ? two(Math.floor(s % 3600 / 60)) + 'm' : ''); }
    return Math.floor(s / 86400) + 'd' + (s % 86400 ? two(Math.floor(s % 86400 / 3600)) + 'h' : '');
  }

  var STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800, 2592000];
  function drawAxis() {
    var span = view[1] - view[0];
    var step = STEPS[STEPS.length - 1];
    for (var i = 0; i < STEPS.length; i++) { if (span / STEPS[i] <= 12) { step = STEPS[i]; break; } }
    var align = Math.min(step, 86400);
    var local0 = (startMs + tzMs) / 1000 + view[0];
    var t = view[0] + (Math.ceil(local0 / align) * align - local0);
    while (axis.firstChild) { axis.removeChild(axis.firstChild); }
    for (var n = 0; t <= view[1] + 1e-6 && n < 40; t += step, n++) {
      var d = clock(t);
      var label = hhmm(d);
      if (step < 60) { label += ':' + two(d.getUTCSeconds()); }
      if (step >= 86400 || (label === '00:00' && step >= 60)) { label = day(d); }
      var g = document.createElementNS(NS, 'g');
      g.setAttribute('class', 'tick');
      var xx = x(t).toFixed(1);
      var ln = document.createElementNS(NS, 'line');
      ln.setAttribute('x1', xx); ln.setAttribute('x2', xx);
      ln.setAttribute('y1', '22'); ln.setAttribute('y2', String(height));
      var tx = document.createElementNS(NS, 'text');
      tx.setAttribute('x', xx); tx.setAttribute('y', '14');
      tx.setAttribute('text-anchor', +xx > X0 + W - 30 ? 'end' : 'middle'); // the last label stays inside
      tx.textContent = label;
      g.appendChild(ln); g.appendChild(tx); axis.appendChild(g);
    }
  }

  function render() {
    items.forEach(function (el) {
      var a = +el.dataset.a, b = +el.dataset.b;
      if (el.tagName === 'line') {
        var xx = clampX(x(a)).toFixed(1);
        el.setAttribute('x1', xx); el.setAttribute('x2', xx);
        return;
      }
      var x0 = clampX(x(a)), x1 = clampX(x(b));
      var w = x1 - x0;
      if (el.classList.contains('run')) { w = Math.max(w, MIN_RUN_W); }
      el.setAttribute('x', x0.toFixed(1));
      el.setAttribute('width', Math.max(w, 0).toFixed(1));
    });
    lines.forEach(function (pl) {
      var top = +pl.dataset.top, h = +pl.dataset.h;
      var pts = pl.dataset.levels.split(' ').map(function (p) { var kv = p.split(':'); return [+kv[0], +kv[1]]; });
      var out = [];
      for (var i = 0; i < pts.length; i++) {
        var px = clampX(x(pts[i][0])).toFixed(1);
        if (i > 0) { out.push(px + ',' + (top + (100 - pts[i - 1][1]) / 100 * h).toFixed(1)); }
        out.push(px + ',' + (top + (100 - pts[i][1]) / 100 * h).toFixed(1));
      }
      out.push(clampX(x(H)).toFixed(1) + ',' + (top + (100 - pts[pts.length - 1][1]) / 100 * h).toFixed(1));
      pl.setAttribute('points', out.join(' '));
    });
    drawAxis();
    svg.dataset.view = view[0].toFixed(3) + ' ' + view[1].toFixed(3);
    range.textContent = stamp(view[0]) + ' → ' + stamp(view[1]) + ' (' + dur(view[1] - view[0]) + ' of ' + dur(H) + ')';
    if (selected) { place(selected); }
  }

  function setView(a, b) {
    var span = Math.min(Math.max(b - a, MIN_SPAN), H);
    a = Math.min(Math.max(a, 0), H - span);
    view = [a, a + span];
    render();
  }
  function zoom(f, at) {
    var span = view[1] - view[0];
    if (at === undefined) { at = selected ? (+selected.dataset.a + +selected.dataset.b) / 2 : view[0] + span / 2; }
    var r = (at - view[0]) / span;
    if (!(r >= 0 && r <= 1)) { r = 0.5; }
    var ns = Math.min(Math.max(span * f, MIN_SPAN), H);
    setView(at - r * ns, at - r * ns + ns);
  }
  function pan(frac) { var span = view[1] - view[0]; setView(view[0] + frac * span, view[1] + frac * span); }
  function timeAt(clientX) {
    var r = svg.getBoundingClientRect();
    var sx = (clientX - r.left) * (+svg.getAttribute('width') / r.width);
    return view[0] + (sx - X0) / W * (view[1] - view[0]);
  }

  // Details: the hovered or selected item's text next to it.
  function place(el) {
    var r = el.getBoundingClientRect();
    var h = holder.getBoundingClientRect();
    tip.style.left = Math.max(0, Math.min(r.left - h.left, h.width - 300)) + 'px';
    tip.style.top = (r.bottom - h.top + 6) + 'px';
  }
  function show(el) {
    if (!el.dataset.tip) { return; }
    tip.textContent = el.dataset.tip;
    tip.hidden = false;
    place(el);
  }
  function hide() { if (!selected) { tip.hidden = true; } }
  function select(el) {
    if (selected) { selected.classList.remove('sel'); }
    selected = el;
    if (!el) { tip.hidden = true; return; }
    el.classList.add('sel');
    var a = +el.dataset.a, b = +el.dataset.b;
    if (a < view[0] || b > view[1]) {
      var span = view[1] - view[0];
      if (b - a < span) { setView((a + b) / 2 - span / 2, (a + b) / 2 + span / 2); } else { setView(a, b); }
    }
    show(el);
  }
  function rowItems(row) {
    return Array.prototype.slice.call(row.querySelectorAll('[data-a]')).sort(function (p, q) {
      return (+p.dataset.a - +q.dataset.a) || (+p.dataset.b - +q.dataset.b);
    });
  }
  function step(row, dir, edge) {
    var list = rowItems(row);
    if (!list.length) { return; }
    var i = list.indexOf(selected);
    if (edge) { i = dir < 0 ? 0 : list.length - 1; } else if (i < 0) {
      // From the view: the first item starting in it, or the last before it.
      i = dir > 0 ? list.findIndex(function (e) { return +e.dataset.a >= view[0]; }) : -1;
      if (i < 0) { for (i = list.length - 1; i > 0 && +list[i].dataset.a > view[1]; i--) { /* back */ } }
    } else { i = Math.min(Math.max(i + dir, 0), list.length - 1); }
    select(list[i]);
  }

  svg.addEventListener('pointerover', function (e) {
    var el = e.target.closest('[data-tip]');
    if (el && !drag) { show(el); }
  });
  svg.addEventListener('pointerout', function (e) {
    if (e.target.closest('[data-tip]')) { if (selected) { show(selected); } else { hide(); } }
  });

  svg.addEventListener('wheel', function (e) {
    if (e.ctrlKey || e.metaKey) {
      e.preventDefault();
      zoom(Math.exp(Math.max(-1, Math.min(1, e.deltaY / 200))), timeAt(e.clientX));
    } else if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
      e.preventDefault();
      pan(e.deltaX / 1000);
    }
  }, { passive: false });

  var drag = null;
  svg.addEventListener('pointerdown', function (e) {
    if (e.button !== 0) { return; }
    drag = { x: e.clientX, view: view.slice(), moved: false };
  });
  svg.addEventListener('pointermove', function (e) {
    if (!drag) { return; }
    var dx = e.clientX - drag.x;
    if (!drag.moved && Math.abs(dx) < 3) { return; }
    if (!drag.moved) { drag.moved = true; svg.setPointerCapture(e.pointerId); svg.classList.add('dragging'); tip.hidden = true; }
    var r = svg.getBoundingClientRect();
    var dt = dx * (+svg.getAttribute('width') / r.width) / W * (drag.view[1] - drag.view[0]);
    setView(drag.view[0] - dt, drag.view[1] - dt);
  });
  function endDrag() { if (drag) { svg.classList.remove('dragging'); } drag = null; }
  svg.addEventListener('pointerup', endDrag);
  svg.addEventListener('pointercancel', endDrag);
  svg.addEventListener('dblclick', function (e) { zoom(e.shiftKey ? 2 : 0.5, timeAt(e.clientX)); });
  svg.addEventListener('click', function (e) {
    var el = e.target.closest('[data-tip]');
    if (el && el.closest('g.row')) { el.closest('g.row').focus({ preventScroll: true }); select(el); }
  });

  holder.addEventListener('keydown', function (e) {
    var row = e.target.closest && e.target.closest('g.row');
    var k = e.key;
    if (k === '+' || k === '=') { zoom(0.5); } else if (k === '-' || k === '_') { zoom(2); } else if (k === '0') { select(null); setView(0, H); } else if (k === 'Escape') { select(null); } else if (row && (k === 'ArrowRight' || k === 'ArrowLeft') && !e.shiftKey) {
      step(row, k === 'ArrowRight' ? 1 : -1, false);
    } else if (k === 'ArrowRight' || k === 'ArrowLeft') { pan(k === 'ArrowRight' ? 0.25 : -0.25); } else if (row && (k === 'Home' || k === 'End')) { step(row, k === 'End' ? 1 : -1, true); } else if (row && (k === 'ArrowDown' || k === 'ArrowUp')) {
      var i = rows.indexOf(row) + (k === 'ArrowDown' ? 1 : -1);
      if (i >= 0 && i < rows.length) { rows[i].focus(); }
    } else if (k === 'Enter' && selected) {
      var a = +selected.dataset.a, b = +selected.dataset.b, pad = Math.max((b - a) * 0.5, MIN_SPAN);
      setView(a - pad, b + pad);
    } else { return; }
    e.preventDefault();
  });
  rows.forEach(function (row) {
    row.addEventListener('focus', function () {
      if (selected && !row.contains(selected)) { select(null); }
    });
  });

  document.querySelectorAll('.toolbar button[data-act]').forEach(function (btn) {
    btn.addEventListener('click', function () {
      var act = btn.dataset.act;
      if (act === 'in') { zoom(0.5); } else if (act === 'out') { zoom(2); } else if (act === 'left') { pan(-0.25); } else if (act === 'right') { pan(0.25); } else { select(null); setView(0, H); }
    });
  });

  render();
})();
