// Check-in pages: scan a confirmation's QR code with the camera where the browser has BarcodeDetector
// (Chrome on Android, among others); elsewhere the scan button stays hidden and the code is typed.
(function () {
  "use strict";
  document.querySelectorAll("form[data-code-form]").forEach(function (form) {
    var button = form.querySelector("[data-scan]");
    var video = form.querySelector("[data-scan-video]");
    var input = form.querySelector("input[name=code]");
    if (!button || !video || !input || !("BarcodeDetector" in window) || !navigator.mediaDevices) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        video.play();
        var stop = function () { stream.getTracks().forEach(function (t) { t.stop(); }); video.hidden = true; };
        var look = function () {
          detector.detect(video).then(function (codes) {
            if (codes.length) {
              stop();
              input.value = codes[0].rawValue;
              form.submit();
            } else {
              window.requestAnimationFrame(look);
            }
          }).catch(function () { window.requestAnimationFrame(look); });
        };
        look();
      }).catch(function () { button.hidden = true; input.focus(); });
    });
  });
})();
