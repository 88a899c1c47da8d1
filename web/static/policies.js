// 一企一档 checklist trend (orders % and employees per visit) and the
// redemption ledger's paid totals per month, from the JSON in each
// chart's data-chart attribute (no inline script under the CSP).
(function () {
  'use strict';
  function data(el) {
    try { return JSON.parse(el.getAttribute('data-chart')); } catch (e) { return null; }
  }
  function draw() {
    if (!window.echarts) { return; }
    var charts = [];
    var grid = { left: 8, right: 16, top: 36, bottom: 8, containLabel: true };
    var trend = document.getElementById('pf-trend');
    var d = trend && data(trend);
    if (d) {
      var c = window.echarts.init(trend);
      c.setOption({
        legend: { top: 0 }, grid: grid, tooltip: { trigger: 'axis' },
        xAxis: { type: 'category', data: d.dates },
        yAxis: [{ type: 'value', axisLabel: { formatter: '{value}%' } }, { type: 'value', minInterval: 1 }],
        series: [
          { name: d.names.orders, type: 'line', data: d.orders, connectNulls: true, itemStyle: { color: '#1f5fbf' } },
          { name: d.names.employees, type: 'bar', yAxisIndex: 1, data: d.employees, barMaxWidth: 18, itemStyle: { color: '#1e8a4c' } },
          { name: d.names.financing, type: 'scatter', yAxisIndex: 1, data: d.financing.map(function (v) { return v ? 0 : null; }), symbolSize: 10, itemStyle: { color: '#c26a00' } }
        ]
      });
      charts.push(c);
    }
    var month = document.getElementById('pa-month-chart');
    var m = month && data(month);
    if (m) {
      var b = window.echarts.init(month);
      b.setOption({
        grid: grid, tooltip: { trigger: 'axis', valueFormatter: function (v) { return v + ' 万元'; } },
        xAxis: { type: 'category', data: m.months }, yAxis: { type: 'value' },
        series: [{ name: m.name, type: 'bar', data: m.paid, barMaxWidth: 28, itemStyle: { color: '#1e8a4c' } }]
      });
      charts.push(b);
    }
    window.addEventListener('resize', function () { charts.forEach(function (x) { x.resize(); }); });
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', draw);
  } else {
    draw();
  }
}());
