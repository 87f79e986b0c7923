/* Draws the portal's charts with ECharts from the JSON block the page carries.
   The same figures are always in an HTML table, so the page reads fine without this script. */
(function () {
  "use strict";
  var block = document.getElementById("portal-chart-data");
  if (!block || typeof echarts === "undefined") { return; }
  var charts = JSON.parse(block.textContent);
  var drawn = [];
  charts.forEach(function (spec) {
    var el = document.getElementById(spec.id);
    if (!el) { return; }
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      title: { text: spec.name + (spec.unit ? "（" + spec.unit + "）" : ""), textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis" },
      // containLabel: the axis labels (25, 440, 县名) are measured and never cut off.
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: spec.years, axisLabel: { interval: 0, hideOverlap: true } },
      yAxis: { type: "value" },
      series: [{ type: spec.kind === "bar" ? "bar" : "line", data: spec.values, itemStyle: { color: "#a4231b" } }],
      aria: { enabled: true },
      // Drawn at once: a half-drawn line is what a screenshot (or a slow phone) would otherwise catch.
      animation: false
    });
    drawn.push(chart);
  });
  window.addEventListener("resize", function () { drawn.forEach(function (c) { c.resize(); }); });
})();
