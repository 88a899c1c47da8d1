// 数据大屏: fetches the figures from the address in body[data-src] now and
// every minute, and redraws the numbers and the ECharts charts (no inline
// script under the CSP; the words come from body[data-labels]).
(function () {
  'use strict';
  var body = document.getElementById('sc'), L = {}, charts = {};
  try { L = JSON.parse(body.getAttribute('data-labels')); } catch (e) { L = {}; }
  var axis = { axisLine: { lineStyle: { color: '#5a7fb8' } }, splitLine: { lineStyle: { color: '#16305e' } }, axisLabel: { color: '#b8cdf0' } };
  function set(id, v) { var el = document.getElementById(id); if (el) { el.textContent = v; } }
  function pct(v) { return v == null ? '—' : v.toFixed(1) + '%'; }
  function chart(id, option) {
    if (!window.echarts) { return; }
    var el = document.getElementById(id);
    if (!charts[id]) { charts[id] = window.echarts.init(el, null, { renderer: 'canvas' }); }
    option.textStyle = { color: '#d8e6ff' };
    charts[id].setOption(option, true);
  }
  function render(d) {
    set('sc-today', d.today_intake);
    set('sc-red', d.open.red);
    set('sc-yellow', d.open.yellow);
    set('sc-green', d.open.green);
    set('sc-response', pct(d.rates.response));
    set('sc-resolution', pct(d.rates.resolution));
    set('sc-satisfaction', pct(d.rates.satisfaction));
    set('sc-updated', L['sc.updated'] + ' ' + new Date().toTimeString().slice(0, 8));
    var months = d.monthly.map(function (m) { return m.month.slice(2); });
    function col(k) { return d.monthly.map(function (m) { return m[k]; }); }
    chart('sc-trend', {
      legend: { top: 0, textStyle: { color: '#d8e6ff' } }, tooltip: { trigger: 'axis' }, grid: { left: 8, right: 8, top: 30, bottom: 4, containLabel: true },
      xAxis: Object.assign({ type: 'category', data: months }, axis),
      yAxis: [Object.assign({ type: 'value', max: 100, axisLabel: { color: '#b8cdf0', formatter: '{value}%' } }, { axisLine: axis.axisLine, splitLine: axis.splitLine }),
        Object.assign({ type: 'value', minInterval: 1 }, axis, { splitLine: { show: false } })],
      series: [{ name: L['tr.col.submitted'], type: 'bar', yAxisIndex: 1, data: col('submitted'), itemStyle: { color: '#1d4a8f' }, barMaxWidth: 18 },
        { name: L['rt.response'], type: 'line', data: col('response'), itemStyle: { color: '#4fa8ff' } },
        { name: L['rt.resolution'], type: 'line', data: col('resolution'), itemStyle: { color: '#5fdc8f' } },
        { name: L['rt.satisfaction'], type: 'line', data: col('satisfaction'), itemStyle: { color: '#ffc53d' } }]
    });
    chart('sc-lights', {
      tooltip: { trigger: 'item' }, legend: { bottom: 0, textStyle: { color: '#d8e6ff' } },
      series: [{ type: 'pie', radius: ['45%', '70%'], label: { color: '#d8e6ff', formatter: '{c}' }, data: [
        { name: L['sc.red'], value: d.open.red, itemStyle: { color: '#ff6b5f' } },
        { name: L['sc.yellow'], value: d.open.yellow, itemStyle: { color: '#ffc53d' } },
        { name: L['sc.green'], value: d.open.green, itemStyle: { color: '#5fdc8f' } },
        { name: L['sc.none'], value: d.open.none, itemStyle: { color: '#8fb3e8' } }] }]
    });
    var ranks = d.ranks.slice().reverse();
    chart('sc-ranking', {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } }, grid: { left: 8, right: 40, top: 4, bottom: 4, containLabel: true },
      xAxis: Object.assign({ type: 'value', max: 100 }, axis),
      yAxis: Object.assign({ type: 'category', data: ranks.map(function (r) { return r.rank + ' ' + r.name; }) }, axis),
      series: [{ type: 'bar', data: ranks.map(function (r) { return r.score; }), itemStyle: { color: '#4fa8ff' }, barMaxWidth: 16,
        label: { show: true, position: 'right', color: '#fff' } }]
    });
    var parks = d.parks.slice().reverse();
    chart('sc-parks', {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } }, legend: { top: 0, textStyle: { color: '#d8e6ff' } },
      grid: { left: 8, right: 16, top: 28, bottom: 4, containLabel: true },
      xAxis: Object.assign({ type: 'value', minInterval: 1 }, axis),
      yAxis: Object.assign({ type: 'category', data: parks.map(function (p) { return p.park; }) }, axis),
      series: [{ name: L['sc.enterprises'], type: 'bar', data: parks.map(function (p) { return p.enterprises; }), itemStyle: { color: '#5fdc8f' }, barMaxWidth: 12 },
        { name: L['sc.demands'], type: 'bar', data: parks.map(function (p) { return p.demands; }), itemStyle: { color: '#ffc53d' }, barMaxWidth: 12 }]
    });
    var ul = document.getElementById('sc-behind');
    ul.textContent = '';
    if (!d.behind.length) {
      var none = document.createElement('li');
      none.textContent = L['sc.no_behind'];
      ul.appendChild(none);
    }
    d.behind.forEach(function (m) {
      var li = document.createElement('li');
      li.textContent = m.project_name + ' · ' + m.name + ' (' + m.progress + '%)';
      var late = document.createElement('span');
      late.className = 'late';
      late.textContent = m.planned_end.slice(0, 10);
      li.appendChild(late);
      ul.appendChild(li);
    });
  }
  function load() {
    fetch(body.getAttribute('data-src'), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(render)
      .catch(function () { set('sc-updated', '—'); });
  }
  function start() {
    load();
    window.setInterval(load, 60000);
    window.addEventListener('resize', function () { Object.keys(charts).forEach(function (k) { charts[k].resize(); }); });
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
