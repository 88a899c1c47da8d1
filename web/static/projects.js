// zhagen: the consultation and project pages' script. The print button
// prints the minutes; a timeline wider than the screen scrolls to today;
// [data-chart] elements become ECharts bar charts of a number per
// department whose bars link to the drill-down list. No
// inline script: the pages work under "script-src 'self'".
(function () {
  'use strict';

  document.addEventListener('click', function (ev) {
    var t = ev.target;
    if (t instanceof Element && t.closest('[data-print]')) {
      ev.preventDefault();
      window.print();
    }
  });

  function draw(el) {
    var spec;
    try { spec = JSON.parse(el.getAttribute('data-chart')); } catch (e) { return; }
    var bars = spec.bars || [];
    if (!bars.length) {
      el.classList.add('chart-empty');
      el.textContent = el.getAttribute('data-empty') || '';
      return;
    }
    if (typeof echarts === 'undefined') return;
    el.style.height = Math.max(160, bars.length * 34 + 40) + 'px';
    var chart = echarts.init(el, null, { renderer: 'svg' });
    var names = bars.map(function (b) { return b.name; }).reverse();
    var values = bars.map(function (b) { return b.value; }).reverse();
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'item', formatter: function (p) { return p.name + '：' + p.value + ' ' + spec.unit; } },
      xAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: '#eef0f3' } } },
      yAxis: { type: 'category', data: names, axisTick: { show: false } },
      series: [{ type: 'bar', data: values, barMaxWidth: 18, itemStyle: { color: '#2f6fde', borderRadius: [0, 3, 3, 0] },
        label: { show: true, position: 'right', formatter: '{c}' } }]
    });
    chart.on('click', function (p) {
      var b = bars[bars.length - 1 - p.dataIndex];
      if (b && b.href) window.location.href = b.href;
    });
    window.addEventListener('resize', function () { chart.resize(); });
  }

  // A timeline wider than the screen scrolls so that today is in view.
  function showToday(g) {
    var today = g.querySelector('.gantt-today');
    if (!today || g.scrollWidth <= g.clientWidth) return;
    var x = today.getBoundingClientRect().left - g.getBoundingClientRect().left + g.scrollLeft;
    g.scrollLeft = Math.max(0, x - g.clientWidth * 0.6);
  }

  function init() {
    var els = document.querySelectorAll('[data-chart]');
    for (var i = 0; i < els.length; i++) draw(els[i]);
    var gs = document.querySelectorAll('.gantt');
    for (var j = 0; j < gs.length; j++) showToday(gs[j]);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
