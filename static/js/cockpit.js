/* The cockpit's charts (ECharts, vendored). Each chart draws the rows of the table beside it; a click on a
   bar, a point or a funnel step opens the same list as that table row. The data comes from the page
   (json_script "cockpit-charts"), already counted by the server: nothing is computed here. */
(function () {
  "use strict";
  var source = document.getElementById("cockpit-charts");
  if (!source || typeof echarts === "undefined") return;
  var charts = JSON.parse(source.textContent);
  var labels = charts.labels;
  var locale = (document.documentElement.lang || "zh").indexOf("zh") === 0 ? "ZH" : "EN";
  var drawn = [];

  function open(rows) {
    return function (params) {
      var row = rows[params.dataIndex];
      if (row && row.url) window.location.href = row.url;
    };
  }

  // Tooltips are HTML: names (a district, a referring firm) are escaped, as the page's own table escapes them.
  function esc(value) {
    return echarts.format.encodeHTML(String(value));
  }

  function tooltipFor(rows) {
    return function (params) {
      var row = rows[(Array.isArray(params) ? params[0] : params).dataIndex];
      var text = esc(row.label) + "<br>" + esc(labels.count) + "：" + esc(row.count);
      if (row.amount_display !== undefined) text += "<br>" + esc(row.amount_display);
      return text;
    };
  }

  // Largest first reads top-down in a horizontal bar chart, so the category axis runs reversed.
  function horizontal(rows) {
    return {
      grid: { left: 8, right: 48, top: 8, bottom: 28, containLabel: true },
      tooltip: { trigger: "item", formatter: tooltipFor(rows) },
      xAxis: { type: "value", name: labels.amount, nameLocation: "middle", nameGap: 24, show: rows.length > 0 },
      yAxis: { type: "category", inverse: true, data: rows.map(function (r) { return r.label; }),
               axisLabel: { width: 120, overflow: "truncate" } },
      series: [{ type: "bar", name: labels.amount, cursor: "pointer",
                 data: rows.map(function (r) { return r.amount; }),
                 label: { show: true, position: "right", formatter: function (p) { return rows[p.dataIndex].count; } } }]
    };
  }

  function monthly(rows) {
    return {
      grid: { left: 8, right: 8, top: 32, bottom: 32, containLabel: true },
      legend: { bottom: 0 },
      tooltip: { trigger: "axis", formatter: tooltipFor(rows) },
      xAxis: { type: "category", data: rows.map(function (r) { return r.label; }) },
      // Axis names start at their axis and run inwards, so neither is cut at the chart's edge.
      yAxis: [{ type: "value", name: labels.amount, nameTextStyle: { align: "left" } },
              { type: "value", name: labels.count, minInterval: 1, nameTextStyle: { align: "right" } }],
      series: [
        { type: "bar", name: labels.amount, cursor: "pointer", data: rows.map(function (r) { return r.amount; }) },
        { type: "line", name: labels.count, yAxisIndex: 1, cursor: "pointer", data: rows.map(function (r) { return r.count; }) }
      ]
    };
  }

  function funnel(rows) {
    return {
      tooltip: { trigger: "item", formatter: function (p) { return esc(rows[p.dataIndex].label) + "：" + esc(rows[p.dataIndex].count); } },
      series: [{ type: "funnel", name: labels.funnel, sort: "none", cursor: "pointer", left: "10%", width: "80%",
                 minSize: "8%", top: 8, bottom: 8, gap: 2,
                 label: { show: true, position: "inside", formatter: function (p) { return p.name + " " + rows[p.dataIndex].count; } },
                 // Steps count different things (organisations, then projects), so the width shows order, not ratio.
                 data: rows.map(function (r, i) { return { name: r.label, value: rows.length - i }; }) }]
    };
  }

  var builders = { funnel: funnel, by_month: monthly };
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var key = el.getAttribute("data-chart");
    var rows = charts[key] || [];
    var build = builders[key] || horizontal;
    var height = key === "funnel" || key === "by_month" ? 280 : Math.max(140, 28 * rows.length + 76);
    el.style.height = height + "px";
    // SVG: crisp at any zoom and printable; every bar is a real element in the page.
    var chart = echarts.init(el, null, { renderer: "svg", locale: locale });
    var option = build(rows);
    // Those who ask their system for less motion get the charts drawn at once.
    option.animation = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    chart.setOption(option);
    chart.on("click", open(rows));
    drawn.push(chart);
  });
  window.addEventListener("resize", function () { drawn.forEach(function (c) { c.resize(); }); });
})();
