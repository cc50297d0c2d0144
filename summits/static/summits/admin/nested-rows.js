// Adds a stance or follow-up row inside an item's row of the summit form (admin.ItemInline):
// a <template> holds an empty row, its item and its own number both __prefix__.
"use strict";

// The admin's calendars and the rich text editors set themselves up on rows added to the page
// (the editors in what "formset:added" names).
const setUp = (container, detail = {}) => {
  if (typeof DateTimeShortcuts !== "undefined") {
    document.querySelectorAll(".datetimeshortcuts").forEach((shortcut) => shortcut.remove());
    DateTimeShortcuts.init();
  }
  container.dispatchEvent(new CustomEvent("formset:added", { bubbles: true, detail }));
};

document.addEventListener("click", (event) => {
  const button = event.target.closest(".nested-add");
  if (!button) {
    return;
  }
  const fieldset = button.closest(".nested-formset");
  // One empty row of each kind for the whole page, in the admin's empty item row (or the
  // row's own, when the page has none).
  const template =
    fieldset.querySelector("template.nested-empty") ||
    document.querySelector(`template.nested-empty[data-prefix="${button.dataset.template}"]`);
  // Django's inlines.js renumbers an added item's fields, and this fieldset's management form
  // with them, but not the inside of a <template>: the real prefix is the management form's.
  const total = fieldset.querySelector("input[name$='-TOTAL_FORMS']");
  const prefix = total.name.slice(0, -"-TOTAL_FORMS".length);
  const index = Number(total.value);
  const html = template.innerHTML.split(`${template.dataset.prefix}-__prefix__`).join(`${prefix}-${index}`);
  const holder = document.createElement("div");
  holder.innerHTML = html.trim();
  const row = holder.firstElementChild;
  fieldset.querySelector(".nested-list").append(row);
  total.value = index + 1;
  setUp(row, { formsetName: prefix });
  const first = row.querySelector("select, input:not([type=hidden]), textarea");
  if (first) {
    first.focus();
  }
});

// A stored item's rows are fetched when its fold first opens: the page is not made to carry
// every item's rows. Until they are in, the fold links to the item's own page.

document.addEventListener(
  "toggle",
  async (event) => {
    const fold = event.target;
    if (!(fold instanceof HTMLDetailsElement) || !fold.open || !fold.dataset.rowsUrl) {
      return;
    }
    const pending = fold.querySelector(":scope > .nested-rows-pending");
    const url = fold.dataset.rowsUrl;
    delete fold.dataset.rowsUrl;
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) {
        throw new Error(response.statusText);
      }
      const holder = document.createElement("div");
      holder.className = "nested-rows-loaded";
      holder.innerHTML = await response.text();
      pending.replaceWith(holder);
      setUp(holder);
    } catch (error) {
      fold.dataset.rowsUrl = url; // a later opening tries again
      pending.querySelector("p").prepend(`${error.message}. `);
    }
  },
  true,
);
