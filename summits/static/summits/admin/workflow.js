// Asks before a button whose action changes what readers see (data-confirm holds the question),
// and before leaving a summit form with unsaved changes.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("summit_form");
  let submitting = false;
  document.querySelectorAll("input[data-confirm], button[data-confirm]").forEach((button) => {
    button.addEventListener("click", (event) => {
      if (!window.confirm(button.dataset.confirm)) {
        event.preventDefault();
      }
    });
  });
  if (!form) {
    return;
  }
  let changed = false;
  form.addEventListener("input", () => { changed = true; });
  form.addEventListener("change", () => { changed = true; });
  form.addEventListener("submit", () => { submitting = true; });
  window.addEventListener("beforeunload", (event) => {
    if (changed && !submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
});
