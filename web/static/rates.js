// 三率统计 chart: the three rates of each lead department as grouped
// horizontal bars, from the JSON in the element's data-chart attribute
// (no inline script under the CSP). A rate without a denominator is a gap.
(function () {
  'use strict';
  var colors = ['#1f5fbf', '#1e8a4c', '#c26a00'];
  function draw() {
    var el = document.getElementById('rt-chart');
    if (!el || !window.echarts) { return; }
    var d;
    try { d = JSON.parse(el.getAttribute('data-chart')); } catch (e) { return; }
    var names = d.names.slice().reverse();
    var series = d.series.map(function (s, i) {
      return {
        name: s.name, type: 'bar', data: s.data.slice().reverse(), barMaxWidth: 14, barGap: '10%',
        itemStyle: { color: colors[i % colors.length] },
        label: { show: true, position: 'right', fontSize: 11, formatter: function (p) { return p.value == null ? '' : p.value + '%'; } }
      };
    });
    var chart = window.echarts.init(el);
    chart.setOption({
      legend: { top: 0 },
      grid: { left: 8, right: 48, top: 32, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: function (v) { return v == null ? '—' : v + '%'; } },
      xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      yAxis: { type: 'category', data: names, axisLabel: { width: 110, overflow: 'truncate' } },
      series: series
    });
    el.style.height = Math.max(220, names.length * 62 + 60) + 'px';
    chart.resize();
    window.addEventListener('resize', function () { chart.resize(); });
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', draw);
  } else {
    draw();
  }
})();
