// "Print or save as PDF" buttons on printable pages. Hidden until this script runs, so a
// browser without JavaScript never shows a button that does nothing.
document.querySelectorAll("[data-print-button]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
});
