// Photos from a phone camera are 3-8 MB; on a slow connection the upload fails. Before the form is
// sent, each chosen image is redrawn on a canvas no larger than data-resize pixels on its long side
// and re-encoded as JPEG, and the input's files are replaced by the smaller ones. Without this script
// (or without createImageBitmap/DataTransfer) the originals are sent: the form works either way.
(function () {
  "use strict";
  var QUALITY = 0.85;

  function shrink(file, maxSide) {
    if (!/^image\//.test(file.type) || !window.createImageBitmap) {
      return Promise.resolve(file);
    }
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob || (scale === 1 && blob.size >= file.size && file.type === "image/jpeg")) {
            resolve(file);
            return;
          }
          var name = file.name.replace(/\.[^.]+$/, "") + ".jpg";
          resolve(new File([blob], name, { type: "image/jpeg", lastModified: Date.now() }));
        }, "image/jpeg", QUALITY);
      });
    }).catch(function () { return file; });
  }

  function list(input) {
    return document.querySelector('[data-photo-list="' + input.id + '"]');
  }

  function show(input) {
    var target = list(input);
    if (!target) { return; }
    target.textContent = "";
    Array.prototype.forEach.call(input.files, function (file) {
      var li = document.createElement("li");
      li.textContent = file.name + " · " + Math.max(1, Math.round(file.size / 1024)) + " KB";
      target.appendChild(li);
    });
  }

  function resize(input) {
    if (!window.DataTransfer) { return Promise.resolve(); }
    var maxSide = parseInt(input.getAttribute("data-resize"), 10) || 1600;
    var files = Array.prototype.slice.call(input.files);
    input.setAttribute("data-resizing", "1");
    return Promise.all(files.map(function (f) { return shrink(f, maxSide); })).then(function (smaller) {
      var transfer = new DataTransfer();
      smaller.forEach(function (f) { transfer.items.add(f); });
      input.files = transfer.files;
      input.removeAttribute("data-resizing");
      input.setAttribute("data-resized", String(smaller.length));
      show(input);
    });
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.matches && input.matches("input[type=file][data-resize]")) {
      input.form.pending = resize(input);
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.pending && form.querySelector("[data-resizing]")) {
      // Wait for the photos still being made smaller, then send.
      event.preventDefault();
      form.pending.then(function () { form.submit(); });
    }
  });
})();
