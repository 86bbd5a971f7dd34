// Mesh portal: what scripts add to pages that read without them. Served by mesh serve; no inline script anywhere.
(function () {
  'use strict';

  function searchAsYouType() {
    var form = document.getElementById('search-form');
    var results = document.getElementById('results');
    if (!form || !results) { return; }
    var timer = null;
    var sequence = 0;
    function refresh() {
      var query = new URLSearchParams(new FormData(form)).toString();
      var mine = ++sequence;
      fetch(form.dataset.results + '?' + query, { credentials: 'same-origin' })
        .then(function (answer) { return answer.ok ? answer.text() : Promise.reject(answer.status); })
        .then(function (html) {
          if (mine !== sequence) { return; }
          // the fragment is rendered by the server's escaping templates, from the same page model
          var doc = new DOMParser().parseFromString(html, 'text/html');
          results.replaceChildren.apply(results, Array.prototype.slice.call(doc.body.childNodes));
          history.replaceState(null, '', '/portal?' + query);
        })
        .catch(function () { /* the form still submits without scripts */ });
    }
    form.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(refresh, 150); });
    form.addEventListener('change', function () { clearTimeout(timer); timer = setTimeout(refresh, 50); });
  }

  function charts() {
    if (!window.echarts) { return; }
    document.querySelectorAll('[data-chart]').forEach(function (el) {
      var data = JSON.parse(el.dataset.chart);
      var chart = echarts.init(el, null, { renderer: 'svg' });
      chart.setOption({
        animation: false,
        grid: { left: 56, right: 16, top: 16, bottom: 40 },
        tooltip: { trigger: 'axis' },
        xAxis: { type: 'time', axisLabel: { hideOverlap: true } },
        yAxis: { type: 'value', scale: true },
        series: [
          { name: data.title, type: 'line', data: data.points, showSymbol: true, symbolSize: 6 },
          { name: 'anomaly', type: 'scatter', data: data.anomalies, symbol: 'diamond', symbolSize: 14,
            itemStyle: { color: '#a50e0e' } }
        ]
      });
      window.addEventListener('resize', function () { chart.resize(); });
    });
  }

  var COLORS = { product: '#0b57d0', upstream: '#146c2e', source: '#4a5360', consumer: '#7a4b00' };

  function lineage() {
    if (!window.echarts) { return; }
    document.querySelectorAll('[data-graph]').forEach(function (el) {
      var graph = JSON.parse(el.dataset.graph);
      var chart = echarts.init(el, null, { renderer: 'svg' });
      chart.setOption({
        animation: false,
        tooltip: { formatter: function (p) { return p.dataType === 'node' ? p.data.kind + ': ' + p.name : ''; } },
        series: [{
          type: 'graph', layout: 'none', roam: true, symbolSize: 18, edgeSymbol: ['none', 'arrow'],
          label: { show: true, position: 'bottom', color: '#1b1f24' },
          data: graph.nodes.map(function (n) {
            return { name: n.name, x: n.x, y: n.y, kind: n.kind, href: n.href,
              itemStyle: { color: COLORS[n.kind] || '#4a5360' } };
          }),
          links: graph.links, lineStyle: { color: '#8a94a3', width: 2 }
        }]
      });
      chart.on('click', function (p) {
        if (p.dataType === 'node' && p.data.href) { window.location.assign(p.data.href); }
      });
      window.addEventListener('resize', function () { chart.resize(); });
    });
  }

  function liveRun() {
    var box = document.getElementById('live-run');
    if (!box || !box.dataset.events || !window.EventSource) { return; }
    var state = document.getElementById('run-state');
    var stages = document.getElementById('run-stages');
    var summary = document.getElementById('run-summary');
    var error = document.getElementById('run-error');
    var elapsed = document.getElementById('run-elapsed');
    var started = box.dataset.started ? Number(box.dataset.started) : null;
    var seen = {};
    Array.prototype.forEach.call(stages.children, function (li) { seen[li.firstChild.textContent.trim()] = true; });
    var ticker = setInterval(function () {
      if (started) { elapsed.textContent = ((Date.now() - started) / 1000).toFixed(1) + ' s'; }
    }, 250);
    var source = new EventSource(box.dataset.events);
    function on(type, handle) {
      source.addEventListener(type, function (message) { handle(JSON.parse(message.data)); });
    }
    on('queued', function () { state.textContent = 'queued'; });
    on('started', function (e) { state.textContent = 'running'; started = Date.parse(e.at); });
    on('stage', function (e) {
      if (!e.stage || seen[e.stage]) { return; }
      seen[e.stage] = true;
      var li = document.createElement('li');
      li.textContent = e.stage + ' ';
      var at = document.createElement('small');
      at.textContent = new Date(e.at).toISOString().substring(11, 19) + ' UTC';
      li.appendChild(at);
      stages.appendChild(li);
    });
    on('finished', function (e) {
      source.close();
      clearInterval(ticker);
      var r = e.result;
      state.textContent = r ? 'finished: ' + r.status : 'finished';
      if (r) {
        var seconds = (Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000;
        elapsed.textContent = seconds.toFixed(1) + ' s';
        summary.textContent = r.status + ': ' + r.rowsIn + ' rows read, ' + r.rowsOut + ' published, ' +
          r.rowsQuarantined + ' quarantined, checks ' + r.checksPassed + ' passed / ' + r.checksFailed + ' failed';
        error.textContent = r.error || '';
      } else {
        summary.textContent = e.message || '';
      }
      box.dataset.done = 'true';
    });
    source.onerror = function () {
      if (box.dataset.done !== 'true') { summary.textContent = 'Lost the live connection; reload to see the run.'; }
      source.close();
      clearInterval(ticker);
    };
  }

  // the charting library (1 MB) is fetched only by pages that draw something
  function withCharts(draw) {
    if (!document.querySelector('[data-chart],[data-graph]')) { return; }
    var script = document.createElement('script');
    script.src = '/portal/assets/echarts.min.js';
    script.onload = draw;
    document.head.appendChild(script);
  }

  document.addEventListener('DOMContentLoaded', function () {
    searchAsYouType();
    liveRun();
    withCharts(function () { charts(); lineage(); });
  });
}());
