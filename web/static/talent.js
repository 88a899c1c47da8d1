// Talent pages: bar charts drawn with ECharts from a data-chart attribute
// ({categories: [...], series: [{name, data}]}). The numbers are also in
// the table beside each chart, so nothing is lost without script.
(function () {
  'use strict';
  var colours = ['#2f6fd6', '#2e9d5b', '#d4463b', '#8a5cd1'];
  function draw() {
    if (!window.echarts) return;
    document.querySelectorAll('[data-chart]').forEach(function (el) {
      if (el.getAttribute('data-drawn')) return;
      var spec;
      try { spec = JSON.parse(el.getAttribute('data-chart')); } catch (e) { return; }
      if (!spec.categories || !spec.categories.length) { el.style.display = 'none'; return; }
      el.setAttribute('data-drawn', '1');
      var narrow = el.clientWidth < 560;
      var chart = window.echarts.init(el, null, { renderer: 'svg' });
      chart.setOption({
        color: colours,
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        legend: { top: 0 },
        grid: { left: narrow ? 8 : 16, right: 16, top: 36, bottom: 8, containLabel: true },
        xAxis: narrow ? { type: 'value' } : { type: 'category', data: spec.categories, axisLabel: { interval: 0, rotate: spec.categories.length > 6 ? 30 : 0 } },
        yAxis: narrow ? { type: 'category', data: spec.categories, inverse: true } : { type: 'value' },
        series: spec.series.map(function (s) { return { name: s.name, type: 'bar', data: s.data, barMaxWidth: 22 }; })
      });
      if (narrow) el.style.height = Math.max(240, 60 + spec.categories.length * spec.series.length * 16) + 'px';
      chart.resize();
      window.addEventListener('resize', function () { chart.resize(); });
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', draw); else draw();
})();
