// Draws the review's charts from the JSON block the page carries (no inline script: strict CSP).
(function () {
  function draw() {
    var block = document.getElementById("report-charts");
    if (!block || typeof echarts === "undefined") { return; }
    var options = JSON.parse(block.textContent);
    options.forEach(function (option) {
      var holder = document.querySelector('[data-chart="' + option.key + '"]');
      if (!holder) { return; }
      var chart = echarts.init(holder);
      delete option.key;
      chart.setOption(option);
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
