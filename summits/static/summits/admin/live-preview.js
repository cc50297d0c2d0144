// "Preview unsaved changes" on the summit change form: posts the form as it stands to the live
// preview (summits/livepreview.py) and shows the article beside the form, refreshed on request
// and shortly after each edit while it is open. Nothing is saved. A file, not inline code: the
// site's Content Security Policy runs no inline scripts.
"use strict";
(() => {
  // Read now: document.currentScript is only set while this file runs. The labels come from
  // the server, in the editor's language.
  const labels = document.currentScript.dataset;
  const REFRESH_AFTER_EDIT_MS = 800;

  function button(text, className) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = `button ${className}`;
    element.textContent = text;
    return element;
  }

  // The frame runs no scripts (sandbox): leave them out rather than have each one refused.
  function withoutScripts(html) {
    const doc = new DOMParser().parseFromString(html, "text/html");
    doc.querySelectorAll("script").forEach((script) => script.remove());
    return `<!DOCTYPE html>${doc.documentElement.outerHTML}`;
  }

  function setUp(form) {
    // Next to "…/change/" or "…/add/", as LivePreviewMixin.get_urls() puts it.
    const url = new URL("../live-preview/", window.location.href);
    const panel = document.createElement("section");
    panel.className = "live-preview";
    panel.hidden = true;
    panel.setAttribute("aria-label", labels.labelTitle);
    const bar = document.createElement("div");
    bar.className = "live-preview-bar";
    const refreshButton = button(labels.labelRefresh, "live-preview-refresh");
    const closeButton = button(labels.labelClose, "live-preview-close");
    const status = document.createElement("p");
    status.className = "live-preview-status";
    status.setAttribute("role", "status");
    bar.append(refreshButton, closeButton, status);
    const frame = document.createElement("iframe");
    frame.className = "live-preview-frame";
    frame.title = labels.labelTitle;
    // No scripts run in the preview; same origin, so that its stylesheets load and this script
    // can keep its links working.
    frame.setAttribute("sandbox", "allow-same-origin");
    panel.append(bar, frame);
    form.after(panel);

    let controller = null;
    let timer = null;
    let scrollY = 0;

    async function refresh() {
      clearTimeout(timer);
      if (controller) controller.abort();
      controller = new AbortController();
      const { signal } = controller;
      const data = new FormData(form);
      // An image not yet stored cannot be shown, and each refresh would upload it again.
      for (const [name, value] of [...data]) {
        if (value instanceof File) data.delete(name);
      }
      status.textContent = labels.labelLoading;
      try {
        const response = await fetch(url, {
          method: "POST",
          body: data,
          credentials: "same-origin",
          signal,
        });
        const html = await response.text();
        // A redirect is the login page: the session has ended.
        if (response.redirected || !(response.ok || response.status === 400)) {
          throw new Error(`live preview: HTTP ${response.status}`);
        }
        scrollY = frame.contentWindow ? frame.contentWindow.scrollY : 0;
        frame.srcdoc = withoutScripts(html);
        status.textContent = response.ok ? labels.labelReady : labels.labelInvalid;
      } catch (error) {
        if (signal.aborted) return; // a newer refresh took over
        status.textContent = labels.labelFailed;
      }
    }

    function open() {
      panel.hidden = false;
      form.parentElement.classList.add("live-preview-open");
      refresh();
    }

    function close() {
      clearTimeout(timer);
      if (controller) controller.abort();
      panel.hidden = true;
      form.parentElement.classList.remove("live-preview-open");
    }

    function refreshSoon() {
      if (panel.hidden) return;
      clearTimeout(timer);
      timer = setTimeout(refresh, REFRESH_AFTER_EDIT_MS);
    }

    frame.addEventListener("load", () => {
      const page = frame.contentDocument;
      if (!page) return;
      frame.contentWindow.scrollTo(0, scrollY);
      // The page's own links (#item-…, #passage-…) would resolve against the admin's address
      // in a srcdoc frame and leave the preview; others open outside the frame.
      page.addEventListener("click", (event) => {
        const link = event.target.closest && event.target.closest("a[href]");
        if (!link) return;
        event.preventDefault();
        const href = link.getAttribute("href");
        if (href.startsWith("#")) {
          const target = page.getElementById(decodeURIComponent(href.slice(1)));
          if (target) target.scrollIntoView();
        } else {
          window.open(link.href, "_blank", "noopener");
        }
      });
    });
    refreshButton.addEventListener("click", refresh);
    closeButton.addEventListener("click", close);
    form.addEventListener("input", refreshSoon);
    form.addEventListener("change", refreshSoon);

    // One button beside each "Save" (at the bottom, and at the top if the admin shows it).
    form.querySelectorAll(".submit-row:has([name=_save])").forEach((row) => {
      const openButton = button(labels.labelOpen, "live-preview-open-button");
      openButton.addEventListener("click", () => (panel.hidden ? open() : refresh()));
      // Before "Delete", which the admin puts at the far end.
      row.insertBefore(openButton, row.querySelector(":scope > .deletelink"));
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.querySelector("#content-main > form[method=post]");
    // A user who may only view the summit has no save button and nothing unsaved to preview.
    if (form && form.querySelector(".submit-row [name=_save]")) setUp(form);
  });
})();
