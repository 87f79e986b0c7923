// The site menu is a <details>: closed on a phone until tapped, open on a wide screen.
(function () {
  "use strict";
  var menu = document.getElementById("site-menu");
  if (!menu || !window.matchMedia) { return; }
  var wide = window.matchMedia("(min-width: 900px)");
  function follow() { menu.open = wide.matches; }
  follow();
  if (wide.addEventListener) { wide.addEventListener("change", follow); }
})();
