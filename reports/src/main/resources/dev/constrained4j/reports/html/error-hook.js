// Collects every script error into <pre id="report-errors"> (empty when all is well).
(function () {
  var box = document.getElementById('report-errors');
  window.reportError = function (message) {
    box.textContent += message + '\n';
  };
  window.onerror = function (message, source, line, column, error) {
    window.reportError('Error: ' + message + (line ? ' (line ' + line + ':' + column + ')' : '')
      + (error && error.stack ? '\n' + error.stack : ''));
  };
  window.addEventListener('unhandledrejection', function (event) {
    var reason = event.reason;
    window.reportError('Unhandled rejection: ' + (reason && reason.message ? reason.message : String(reason)));
  });
})();
