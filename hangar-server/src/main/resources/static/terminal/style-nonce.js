// Gives every <style> element the page makes the nonce its Content-Security-Policy allows. xterm.js draws through
// style elements it creates at run time; the nonce must be on each before it joins the document, so it is set as the
// element is created. The nonce comes from the page's first stylesheet link (the browser hides the attribute's value
// from the DOM once parsed, but keeps it in the element's nonce property).
(function () {
  'use strict';
  var carrier = document.querySelector('link[nonce]');
  var nonce = carrier && carrier.nonce;
  if (!nonce) {
    return;
  }
  var create = Document.prototype.createElement;
  Document.prototype.createElement = function (name, options) {
    var element = create.call(this, name, options);
    if (String(name).toLowerCase() === 'style') {
      element.setAttribute('nonce', nonce);
    }
    return element;
  };
})();
