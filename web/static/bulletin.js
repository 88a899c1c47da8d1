// 月度工作通报: the three rates month by month (lines) over the demands
// filed (bars), and the visit coverage per department (bars), from the
// JSON in #bl-trend's data-chart attribute (no inline script under the
// CSP). Animation is off so the printed sheets hold the drawn charts.
(function () {
  'use strict';
  function draw() {
    var el = document.getElementById('bl-trend');
    if (!el || !window.echarts) { return; }
    var d;
    try { d = JSON.parse(el.getAttribute('data-chart')); } catch (e) { return; }
    var n = d.names, s = d.series, charts = [];
    function line(key, color) {
      return { name: n[key], type: 'line', data: s[key] || [], connectNulls: false, symbolSize: 5, itemStyle: { color: color } };
    }
    function init(node, option) {
      option.animation = false;
      var c = window.echarts.init(node);
      c.setOption(option);
      charts.push(c);
    }
    init(el, {
      legend: { top: 0 }, grid: { left: 8, right: 8, top: 30, bottom: 4, containLabel: true },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: d.months, axisLabel: { formatter: function (v) { return v.slice(2); } } },
      yAxis: [{ type: 'value', max: 100, axisLabel: { formatter: '{value}%' } }, { type: 'value', minInterval: 1, splitLine: { show: false } }],
      series: [{ name: n.submitted, type: 'bar', yAxisIndex: 1, data: s.submitted || [], barMaxWidth: 14, itemStyle: { color: '#c9d6ea' } },
        line('response', '#1f5fbf'), line('resolution', '#1e8a4c'), line('satisfaction', '#c26a00')]
    });
    var cov = document.getElementById('bl-coverage');
    if (cov && d.depts && d.depts.length) {
      cov.style.height = (40 + 20 * d.depts.length) + 'px';
      init(cov, {
        grid: { left: 8, right: 44, top: 8, bottom: 4, containLabel: true }, tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
        yAxis: { type: 'category', data: d.depts.slice().reverse() },
        series: [{ name: n.coverage, type: 'bar', data: d.coverage.slice().reverse(), barMaxWidth: 14, itemStyle: { color: '#1e8a4c' },
          label: { show: true, position: 'right', formatter: '{c}%' } }]
      });
    } else if (cov) {
      cov.style.display = 'none';
    }
    window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
    window.addEventListener('beforeprint', function () { charts.forEach(function (c) { c.resize(); }); });
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', draw);
  } else {
    draw();
  }
})();
