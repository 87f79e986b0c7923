// Draws the dashboard charts from the JSON block the page renders (no inline script: strict CSP).
(function () {
  "use strict";

  function draw() {
    var source = document.getElementById("dashboard-data");
    if (!source || typeof window.echarts === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var charts = [];

    function chart(id, option) {
      var element = document.getElementById(id);
      if (!element) {
        return;
      }
      var instance = window.echarts.init(element, null, { renderer: "svg" });
      instance.setOption(option);
      charts.push(instance);
    }

    if (data.lights.length) {
      chart("chart-lights", {
        tooltip: { trigger: "item" },
        series: [{ type: "pie", radius: ["40%", "70%"], data: data.lights, label: { formatter: "{b}: {c}" } }],
      });
    }
    if (data.directions.names.length) {
      chart("chart-directions", {
        tooltip: { trigger: "axis" },
        grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
        xAxis: { type: "value", max: 100, name: data.labels.progress },
        yAxis: { type: "category", data: data.directions.names, inverse: true },
        series: [{ type: "bar", data: data.directions.values, itemStyle: { color: "#b3261e" }, label: { show: true, position: "right", formatter: "{c}%" } }],
      });
    }
    if (data.kinds.names.length) {
      chart("chart-kinds", {
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        legend: { top: 0 },
        grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: data.kinds.names },
        yAxis: { type: "value", name: data.labels.items, minInterval: 1 },
        series: data.kinds.statuses.map(function (name, index) {
          return { name: name, type: "bar", stack: "status", data: data.kinds.series[index] };
        }),
      });
    }
    window.addEventListener("resize", function () {
      charts.forEach(function (c) { c.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
