// Coverage chart: a horizontal bar per department from the JSON in the
// element's data-chart attribute (no inline script under the CSP).
(function () {
  'use strict';
  function draw() {
    var el = document.getElementById('cov-chart');
    if (!el || !window.echarts) { return; }
    var d;
    try { d = JSON.parse(el.getAttribute('data-chart')); } catch (e) { return; }
    var chart = window.echarts.init(el);
    chart.setOption({
      grid: { left: 8, right: 40, top: 10, bottom: 10, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: function (v) { return v + '%'; } },
      xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      yAxis: { type: 'category', data: d.names, axisLabel: { width: 120, overflow: 'truncate' } },
      series: [{
        name: d.label, type: 'bar', data: d.pct, barMaxWidth: 18,
        label: { show: true, position: 'right', formatter: '{c}%' },
        itemStyle: { color: function (p) { return p.value >= 80 ? '#1f8a4c' : (p.value >= 50 ? '#d97706' : '#c8322b'); } }
      }]
    });
    el.style.height = Math.max(240, d.names.length * 28 + 40) + 'px';
    chart.resize();
    window.addEventListener('resize', function () { chart.resize(); });
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', draw);
  } else {
    draw();
  }
})();
