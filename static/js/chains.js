/* The gap analysis tree (ECharts, vendored): each link coloured by its status (strong / weak / missing),
   computed by the server (json_script "chain-chart"); a click opens the link's lists, like the table. */
(function () {
  "use strict";
  var source = document.getElementById("chain-chart");
  var el = document.getElementById("chain-tree");
  if (!source || !el || typeof echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  if (!data.tree) return;
  var locale = (document.documentElement.lang || "zh").indexOf("zh") === 0 ? "ZH" : "EN";
  var chart = echarts.init(el, null, { renderer: "svg", locale: locale });
  chart.setOption({
    tooltip: { trigger: "item", formatter: function (p) {
      var d = p.data;
      // HTML tooltip: a link's name comes from the editable chain map, so it is escaped.
      var esc = echarts.format.encodeHTML;
      return d.label === undefined ? esc(d.name)
        : esc(d.name) + "<br>" + esc(d.label) + " · " + esc(data.labels.firms) + "：" + esc(String(d.value));
    } },
    series: [{
      type: "tree", data: [data.tree], top: 8, left: 130, bottom: 8, right: 150, symbol: "circle",
      symbolSize: 10, initialTreeDepth: -1, expandAndCollapse: false, cursor: "pointer",
      label: { position: "left", verticalAlign: "middle", align: "right", fontSize: 12 },
      leaves: { label: { position: "right", verticalAlign: "middle", align: "left" } },
      lineStyle: { color: "#bbb" }
    }]
  });
  chart.on("click", function (p) { if (p.data && p.data.url) window.location.href = p.data.url; });
  window.addEventListener("resize", function () { chart.resize(); });
  el.setAttribute("data-ready", "1");
})();
