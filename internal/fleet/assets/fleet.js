// The wmsim fleet report's charts: reads the chart list the Go code wrote
// into #fleet-data and draws each with uPlot into its figure. A focused
// figure moves the chart's cursor with ← → (Home and End for the ends), so
// the legend reads out the values without a mouse.
(function () {
  'use strict';
  var charts = JSON.parse(document.getElementById('fleet-data').textContent);
  var PALETTE = ['#1e88e5', '#e53935', '#43a047', '#fb8c00', '#8e24aa', '#00897b', '#6d4c41', '#546e7a'];
  var WIDTH = 540, HEIGHT = 240;

  function fmt(v) {
    if (v == null) { return '–'; }
    if (Math.abs(v) >= 100 || v === Math.round(v)) { return String(Math.round(v * 10) / 10); }
    return String(Math.round(v * 1000) / 1000);
  }
  function pct(v) { return v == null ? '–' : (Math.round(v * 1000) / 10) + ' %'; }

  function options(c) {
    var o = {
      width: WIDTH,
      height: HEIGHT,
      legend: { show: true, live: true },
      cursor: { drag: { x: true, y: false }, points: { size: 7 } },
      scales: { x: { time: false } },
      axes: [
        { label: c.x_label, labelSize: 24, size: 40, stroke: '#424242', grid: { stroke: '#eeeeee' } },
        { label: c.y_label, labelSize: 24, size: 56, stroke: '#424242', grid: { stroke: '#eeeeee' } }
      ],
      series: [{ label: c.x_label, value: function (u, v) { return fmt(v); } }]
    };
    if (c.kind === 'hist') {
      var w = c.x.length > 1 ? c.x[1] - c.x[0] : 1;
      o.scales.x.range = function () { return [c.x[0] - w / 2, c.x[c.x.length - 1] + w / 2]; };
      o.scales.y = { range: function (u, lo, hi) { return [0, Math.max(1, hi * 1.08)]; } };
      o.series.push({
        label: c.series[0].label, stroke: '#1565c0', fill: 'rgba(30,136,229,0.55)', width: 1,
        paths: uPlot.paths.bars({ size: [0.92, Infinity, 1] }), points: { show: false },
        value: function (u, v) { return fmt(v); }
      });
    } else if (c.kind === 'cdf') {
      o.scales.y = { range: [0, 1] };
      o.axes[1].values = function (u, splits) { return splits.map(function (v) { return Math.round(v * 100) + '%'; }); };
      c.series.forEach(function (s, i) {
        o.series.push({
          label: s.label, stroke: PALETTE[i % PALETTE.length], width: i === 0 ? 2.5 : 1.5,
          paths: uPlot.paths.stepped({ align: 1 }), points: { show: false }, spanGaps: true,
          value: function (u, v) { return pct(v); }
        });
      });
    } else { // bars over categories
      var n = c.categories.length;
      o.scales.x.range = function () { return [-0.5, n - 0.5]; };
      o.scales.y = { range: function (u, lo, hi) { return [0, Math.max(hi * 1.1, 1e-9)]; } };
      o.axes[0].splits = function () { return c.x; };
      o.axes[0].values = function (u, splits) { return splits.map(function (v) { return c.categories[v] || ''; }); };
      o.series[0].value = function (u, v) { return v == null ? '–' : (c.categories[v] || ''); };
      c.series.forEach(function (s, i) {
        o.series.push({
          label: s.label, stroke: PALETTE[i % PALETTE.length], fill: PALETTE[i % PALETTE.length] + 'b3', width: 1,
          paths: uPlot.paths.bars({ size: [0.36, 64, 2], align: i === 0 ? -1 : 1 }), points: { show: false },
          value: function (u, v) { return fmt(v); }
        });
      });
    }
    return o;
  }

  charts.forEach(function (c) {
    var fig = document.getElementById(c.id);
    if (!fig) { return; }
    var data = [c.x].concat(c.series.map(function (s) { return s.y; }));
    var u = new uPlot(options(c), data, fig.querySelector('.plot'));
    var at = -1;
    function move(i) {
      at = Math.max(0, Math.min(c.x.length - 1, i));
      var top = u.valToPos(0, 'y');
      u.setCursor({ left: u.valToPos(c.x[at], 'x'), top: top });
      fig.dataset.cursor = String(at);
    }
    fig.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowRight') { move(at + 1); } else if (e.key === 'ArrowLeft') { move(at < 0 ? c.x.length - 1 : at - 1); } else if (e.key === 'Home') { move(0); } else if (e.key === 'End') { move(c.x.length - 1); } else { return; }
      e.preventDefault();
    });
  });
})();
