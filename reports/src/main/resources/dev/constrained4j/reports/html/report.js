// Draws every chart of the page with Chart.js from the JSON in #chart-data, sets data-series-count
// on each container once drawn, and body[data-rendered=true] when all charts are drawn.
(function () {
  function refLines(lines) {
    return {
      id: 'refLines',
      afterDatasetsDraw: function (chart) {
        var ctx = chart.ctx, area = chart.chartArea;
        (lines || []).forEach(function (line) {
          var scale = line.axis === 'x' ? chart.scales.x : chart.scales.y;
          var p = scale.getPixelForValue(line.value);
          if (!isFinite(p)) { return; }
          ctx.save();
          ctx.strokeStyle = '#d62728';
          ctx.fillStyle = '#d62728';
          ctx.lineWidth = 1.5;
          ctx.setLineDash([6, 4]);
          ctx.beginPath();
          if (line.axis === 'x') { ctx.moveTo(p, area.top); ctx.lineTo(p, area.bottom); }
          else { ctx.moveTo(area.left, p); ctx.lineTo(area.right, p); }
          ctx.stroke();
          if (line.label) {
            ctx.setLineDash([]);
            ctx.font = '11px sans-serif';
            if (line.axis === 'x') { ctx.fillText(line.label, p + 4, area.top + 12); }
            else { ctx.fillText(line.label, area.left + 4, p - 4); }
          }
          ctx.restore();
        });
      }
    };
  }

  function fmt(v) {
    if (v === null || v === undefined) { return 'n/a'; }
    var a = Math.abs(v);
    if (v !== 0 && (a < 1e-3 || a >= 1e6)) { return v.toExponential(3); }
    return String(Number(v.toPrecision(5)));
  }

  var common = {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    plugins: { legend: { position: 'bottom', labels: { boxWidth: 14, font: { size: 11 } } } }
  };

  function axisTitle(text) { return { display: !!text, text: text }; }

  // The axis range must include the horizontal reference lines, which Chart.js does not scale to.
  function yRange(lines) {
    var values = (lines || []).filter(function (l) { return l.axis === 'y'; }).map(function (l) { return l.value; });
    if (values.length === 0) { return {}; }
    return { suggestedMin: Math.min.apply(null, values), suggestedMax: Math.max.apply(null, values) };
  }

  function lineChart(canvas, spec) {
    var datasets = spec.series.map(function (s) {
      return {
        label: s.label,
        data: s.x.map(function (x, i) { return { x: x, y: s.y[i] }; }),
        borderColor: s.color,
        backgroundColor: s.color,
        borderDash: s.dash,
        borderWidth: 1.6,
        pointRadius: 0,
        pointHoverRadius: 3,
        spanGaps: false
      };
    });
    return new Chart(canvas, {
      type: 'line',
      data: { datasets: datasets },
      options: Object.assign({}, common, {
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { type: 'linear', title: axisTitle(spec.xLabel), ticks: { precision: 0 } },
          y: Object.assign({ type: spec.logY ? 'logarithmic' : 'linear', title: axisTitle(spec.yLabel) },
            yRange(spec.lines))
        },
        plugins: Object.assign({}, common.plugins, {
          tooltip: { callbacks: { label: function (c) {
            var notes = spec.series[c.datasetIndex].notes;
            var note = notes && notes[c.dataIndex] ? ' (' + notes[c.dataIndex] + ')' : '';
            return c.dataset.label + ': ' + fmt(c.parsed.y) + note;
          } } }
        })
      }),
      plugins: [refLines(spec.lines)]
    });
  }

  function scatterChart(canvas, spec) {
    var datasets = spec.series.map(function (s) {
      function perPoint(selected, other) {
        return s.x.map(function (x, i) { return i === s.selected ? selected : other; });
      }
      return {
        label: s.label,
        data: s.x.map(function (x, i) { return { x: x, y: s.y[i], note: s.notes[i] }; }),
        borderColor: s.color,
        backgroundColor: s.color + '8c',
        pointBorderColor: perPoint('#111', s.color),
        pointBackgroundColor: perPoint(s.color, s.color + '8c'),
        pointStyle: perPoint('rectRot', 'circle'),
        pointRadius: perPoint(8, 3.5),
        pointHoverRadius: perPoint(9, 5),
        pointBorderWidth: perPoint(1.5, 1),
        showLine: false
      };
    });
    return new Chart(canvas, {
      type: 'scatter',
      data: { datasets: datasets },
      options: Object.assign({}, common, {
        scales: {
          x: { type: 'linear', title: axisTitle(spec.xLabel) },
          y: Object.assign({ type: 'linear', title: axisTitle(spec.yLabel) }, yRange(spec.lines))
        },
        plugins: Object.assign({}, common.plugins, {
          tooltip: { callbacks: { label: function (c) {
            var selected = c.dataIndex === spec.series[c.datasetIndex].selected;
            return c.dataset.label + ', ' + c.raw.note + (selected ? ' (selected)' : '') + ': '
              + fmt(c.parsed.x) + ', ' + fmt(c.parsed.y);
          } } }
        })
      }),
      plugins: [refLines(spec.lines)]
    });
  }

  function histogramChart(canvas, spec) {
    return new Chart(canvas, {
      type: 'bar',
      data: {
        labels: spec.labels,
        datasets: [{
          label: spec.series.label, data: spec.counts, backgroundColor: spec.series.color + 'bb',
          borderColor: spec.series.color, borderWidth: 0, barPercentage: 1.0, categoryPercentage: 1.0
        }]
      },
      options: Object.assign({}, common, {
        scales: {
          x: { title: axisTitle(spec.xLabel), ticks: { maxRotation: 0, autoSkipPadding: 12 } },
          y: { beginAtZero: true, title: axisTitle(spec.yLabel) }
        },
        plugins: Object.assign({}, common.plugins, {
          tooltip: { callbacks: { title: function (items) { return spec.ranges[items[0].dataIndex]; } } }
        })
      }),
      plugins: [refLines(spec.lines)]
    });
  }

  function boxChart(canvas, spec) {
    var labels = spec.boxes.map(function (b) { return b.label; });
    var colors = spec.boxes.map(function (b) { return b.color; });
    function describe(i) {
      var b = spec.boxes[i];
      return ['median ' + fmt(b.median), 'Q1 ' + fmt(b.q1) + ', Q3 ' + fmt(b.q3),
        'whiskers ' + fmt(b.whiskerLow) + ' to ' + fmt(b.whiskerHigh),
        'mean ' + fmt(b.mean) + ', n = ' + b.n + ', outliers ' + b.outliers];
    }
    return new Chart(canvas, {
      type: 'bar',
      data: {
        labels: labels,
        datasets: [
          { label: 'quartiles', data: spec.boxes.map(function (b) { return [b.q1, b.q3]; }),
            backgroundColor: colors.map(function (c) { return c + '88'; }), borderColor: colors,
            borderWidth: 1, barPercentage: 0.5, grouped: false, order: 2 },
          { label: 'whiskers (1.5 IQR)', data: spec.boxes.map(function (b) { return [b.whiskerLow, b.whiskerHigh]; }),
            backgroundColor: '#444', barPercentage: 0.02, grouped: false, order: 3 },
          { label: 'median', type: 'line', data: spec.boxes.map(function (b) { return b.median; }),
            showLine: false, pointStyle: 'line', pointRadius: 22, pointHoverRadius: 24, borderWidth: 3,
            borderColor: '#222', backgroundColor: '#222', order: 1 }
        ]
      },
      options: Object.assign({}, common, {
        scales: { y: { title: axisTitle(spec.yLabel) } },
        plugins: Object.assign({}, common.plugins, {
          tooltip: { callbacks: { label: function (c) { return describe(c.dataIndex); } } }
        })
      })
    });
  }

  function drawAll() {
    var data = JSON.parse(document.getElementById('chart-data').textContent);
    var failed = 0;
    data.charts.forEach(function (spec) {
      var figure = document.querySelector('[data-chart="' + spec.id + '"]');
      if (!figure) { window.reportError('No container for chart ' + spec.id); failed++; return; }
      try {
        var canvas = figure.querySelector('canvas');
        var draw = { line: lineChart, scatter: scatterChart, histogram: histogramChart, box: boxChart }[spec.type];
        if (!draw) { throw new Error('unknown chart type ' + spec.type); }
        var chart = draw(canvas, spec);
        var drawn = spec.type === 'box' ? chart.data.labels.length : chart.data.datasets.length;
        figure.dataset.seriesCount = String(drawn);
      } catch (e) {
        failed++;
        figure.classList.add('chart-failed');
        window.reportError('Chart ' + spec.id + ': ' + (e && e.stack ? e.stack : e));
      }
    });
    if (failed === 0) {
      document.body.dataset.rendered = 'true';
    }
  }

  if (typeof Chart === 'undefined') {
    window.reportError('Chart.js did not load; showing the static charts.');
    document.documentElement.classList.remove('js');
    return;
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', drawAll);
  } else {
    drawAll();
  }
})();
