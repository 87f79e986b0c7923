// Draws the trend chart of an indicator page from its JSON data block (no inline script: strict CSP).
(function () {
  "use strict";
  var holder = document.getElementById("trend-chart");
  var source = document.getElementById("trend-data");
  if (!holder || !source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(holder, null, { renderer: "svg" });
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis" },
    grid: { left: 80, right: 24, top: 24, bottom: 32 },
    xAxis: { type: "category", data: data.years },
    yAxis: { type: "value", name: data.unit, scale: true },
    series: [{ name: data.name, type: "line", data: data.values, label: { show: true } }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
