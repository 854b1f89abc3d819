// Gloss: small progressive enhancements. The site reads fully without this file.
(function () {
  "use strict";
})();
