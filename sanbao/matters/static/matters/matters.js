/* Matters pages: workflow diagrams, Ctrl+Enter to submit, adding party rows. No network calls of its own. */
(function () {
  "use strict";

  function drawWorkflow(element) {
    if (!window.echarts) { return; }
    var source = document.getElementById(element.dataset.workflowChart);
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      tooltip: {
        formatter: function (item) {
          return item.dataType === "edge" ? item.data.value : item.data.value;
        }
      },
      series: [{
        type: "graph",
        layout: "none",
        roam: true,
        edgeSymbol: ["none", "arrow"],
        edgeSymbolSize: 8,
        label: { show: true, position: "bottom", formatter: function (item) { return item.data.value; } },
        edgeLabel: {
          show: true, fontSize: 10, color: "#555",
          formatter: function (item) { return item.data.secondary ? "" : item.data.value; }
        },
        data: data.nodes,
        links: data.links
      }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function addPartyRow(button) {
    var container = document.getElementById(button.dataset.formsetTarget);
    var template = document.getElementById(button.dataset.formsetTemplate);
    var total = document.getElementById(button.dataset.formsetTotal);
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    container.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var first = container.lastElementChild.querySelector("select, input");
    if (first) { first.focus(); }
    if (window.htmx) { window.htmx.process(container.lastElementChild); }
  }

  document.addEventListener("keydown", function (event) {
    // Ctrl+Enter (or Cmd+Enter) submits the form the cursor is in: clerks type fast and keep hands on the keys.
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      var form = event.target.closest && event.target.closest("form[data-ctrl-enter]");
      if (form) {
        event.preventDefault();
        form.requestSubmit();
      }
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-formset-add]");
    if (button) {
      event.preventDefault();
      addPartyRow(button);
    }
  });

  // An operation's form, once opened, takes the keyboard: its first field has the focus.
  document.addEventListener("shown.bs.collapse", function (event) {
    if (!event.target.closest(".sanbao-operations")) { return; }
    var field = event.target.querySelector("form textarea, form select, form input:not([type=hidden]), form button");
    if (field) { field.focus(); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-workflow-chart]").forEach(drawWorkflow);
  });
})();
