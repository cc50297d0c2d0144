// django-admin-sortable2's "move to first/last position" arrows answer clicks only; this makes
// them reachable with Tab and operable with Enter or Space, so editors can reorder agreements
// and disputes without a mouse (WCAG 2.1.1).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".inline-related .sort i[role=button]").forEach((arrow) => {
    arrow.tabIndex = 0;
    arrow.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        arrow.click();
        arrow.focus();
      }
    });
  });
});
