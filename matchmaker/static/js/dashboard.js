// Draws the dashboard charts from the JSON block #dashboard-data (no inline script: CSP script-src 'self').
(function () {
  "use strict";
  function init() {
    var node = document.getElementById("dashboard-data");
    if (!node || typeof echarts === "undefined") return;
    var data = JSON.parse(node.textContent);
    var charts = [];
    var s = data.series;  // translated series names
    function make(el, height) {
      el.style.height = height + "px";
      var chart = echarts.init(el);
      charts.push(chart);
      return chart;
    }
    document.querySelectorAll('[data-chart="burnup"]').forEach(function (el) {
      var g = data.goals[el.dataset.metric];
      make(el, 260).setOption({
        animation: false,
        title: { text: g.title, left: "center", textStyle: { fontSize: 14 } },
        tooltip: { trigger: "axis" },
        // A finished (or future) year has no forecast: leave it out of the legend rather than show an empty entry.
        legend: { bottom: 0, data: g.forecast.some(function (v) { return v !== null; }) ? [s.actual, s.pace, s.forecast]
                                                                                        : [s.actual, s.pace] },
        grid: { left: 40, right: 16, top: 36, bottom: 48 },
        xAxis: { type: "category", data: data.months },
        yAxis: { type: "value", minInterval: 1 },
        series: [
          { name: s.actual, type: "line", data: g.actual, connectNulls: false, areaStyle: { opacity: 0.15 } },
          { name: s.pace, type: "line", data: g.pace, symbol: "none", lineStyle: { type: "dashed" } },
          { name: s.forecast, type: "line", data: g.forecast, symbol: "none", lineStyle: { type: "dotted", width: 2 } }
        ]
      });
    });
    var chainEl = document.querySelector('[data-chart="chains"]');
    if (chainEl) {
      var names = Object.keys(data.chains.series);
      make(chainEl, Math.max(220, 40 + data.chains.names.length * 32)).setOption({
        animation: false,
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        legend: { top: 0, data: names },
        grid: { left: 120, right: 20, top: 32, bottom: 20 },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: data.chains.names, inverse: true },
        series: names.map(function (n) { return { name: n, type: "bar", data: data.chains.series[n] }; })
      });
    }
    var funnelEl = document.querySelector('[data-chart="funnel"]');
    if (funnelEl) {
      make(funnelEl, 260).setOption({
        animation: false,
        tooltip: { trigger: "item" },
        series: [{
          type: "funnel", left: "10%", width: "80%", sort: "none", minSize: "8%",
          label: { show: true, position: "inside", formatter: data.funnel_label },
          data: data.funnel.stages.map(function (s, i) { return { name: s, value: data.funnel.total[i] }; })
        }]
      });
    }
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
