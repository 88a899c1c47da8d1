// 三率趋势: the three rates month by month (lines), the demands filed each
// month by where they stand now with the overdue ones (stacked bars and a
// line), and the mean working hours to response and to resolution
// (lines), from the JSON in #tr-rates's data-chart attribute (no inline
// script under the CSP). A month without a denominator is a gap.
(function () {
  'use strict';
  function draw() {
    var el = document.getElementById('tr-rates');
    if (!el || !window.echarts) { return; }
    var d;
    try { d = JSON.parse(el.getAttribute('data-chart')); } catch (e) { return; }
    var s = d.series, n = d.names, months = d.months, charts = [];
    function line(key, color) {
      return { name: n[key], type: 'line', data: s[key], connectNulls: false, symbolSize: 6, itemStyle: { color: color } };
    }
    function bar(key, color) {
      return { name: n[key], type: 'bar', stack: 'status', data: s[key], barMaxWidth: 22, itemStyle: { color: color } };
    }
    function init(id, option) {
      var c = window.echarts.init(document.getElementById(id));
      c.setOption(option);
      charts.push(c);
    }
    var grid = { left: 8, right: 16, top: 40, bottom: 8, containLabel: true };
    var x = { type: 'category', data: months, axisLabel: { formatter: function (v) { return v.slice(2); } } };
    init('tr-rates', {
      legend: { top: 0 }, grid: grid, xAxis: x,
      tooltip: { trigger: 'axis', valueFormatter: function (v) { return v == null ? '—' : v + '%'; } },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      series: [line('response', '#1f5fbf'), line('resolution', '#1e8a4c'), line('satisfaction', '#c26a00')]
    });
    init('tr-counts', {
      legend: { top: 0 }, grid: grid, xAxis: x, tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [bar('closed', '#1e8a4c'), bar('awaiting', '#7a5af8'), bar('open', '#1f5fbf'), bar('withdrawn', '#98a2b3'),
        { name: n.overdue, type: 'line', data: s.overdue, itemStyle: { color: '#d92d20' } }]
    });
    init('tr-hours', {
      legend: { top: 0 }, grid: grid, xAxis: x,
      tooltip: { trigger: 'axis', valueFormatter: function (v) { return v == null ? '—' : v + ' h'; } },
      yAxis: { type: 'value', axisLabel: { formatter: '{value} h' } },
      series: [line('resp_hours', '#1f5fbf'), line('res_hours', '#c26a00')]
    });
    window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', draw);
  } else {
    draw();
  }
})();
